import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** How to authenticate to an `ssh://` engine host. */
export interface SshAuth {
  /** Private key in OpenSSH or PEM format; wins over the agent and the default keys. */
  privateKey?: string | Buffer;
  /** Passphrase of `privateKey`, if it is encrypted. */
  passphrase?: string;
  /** Path of an ssh-agent socket; default `SSH_AUTH_SOCK`. */
  agent?: string;
}

/** The `sshOptions` docker-modem passes to ssh2's `connect`. */
export interface Ssh2AuthOptions {
  agent?: string;
  privateKey?: string | Buffer;
  passphrase?: string;
}

/**
 * Key files looked for in `~/.ssh` when no key is given and no agent runs, in
 * the order of ssh_config(5)'s IdentityFile default. Only the first that
 * exists is offered, where OpenSSH would offer each in turn.
 */
export const DEFAULT_KEY_FILES = ['id_rsa', 'id_ecdsa', 'id_ed25519'] as const;

/**
 * Chooses the credentials for an `ssh://` engine: the given key, else the
 * ssh-agent, else the first default key in `~/.ssh`.
 * Returns `undefined` when none exists.
 */
export function resolveSshAuth(
  auth: SshAuth = {},
  env: Readonly<Record<string, string | undefined>> = process.env,
  homeDir: string = homedir(),
): Ssh2AuthOptions | undefined {
  if (auth.privateKey !== undefined) {
    return withPassphrase({ privateKey: auth.privateKey }, auth.passphrase);
  }
  const agent = auth.agent ?? env.SSH_AUTH_SOCK;
  if (agent !== undefined && agent !== '') {
    return { agent };
  }
  for (const name of DEFAULT_KEY_FILES) {
    const privateKey = readKey(join(homeDir, '.ssh', name));
    if (privateKey !== undefined) {
      return withPassphrase({ privateKey }, auth.passphrase);
    }
  }
  return undefined;
}

function withPassphrase(options: Ssh2AuthOptions, passphrase: string | undefined) {
  return passphrase === undefined ? options : { ...options, passphrase };
}

function readKey(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

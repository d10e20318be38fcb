/**
 * The proxy of an ADD download, from `HTTP_PROXY`, `HTTPS_PROXY` and
 * `NO_PROXY` (or their lower-case names), read as Go's HTTP client reads them
 * for the classic builder. An upper-case name wins, and a host of this
 * machine never goes through a proxy. `NO_PROXY` lists hosts, domains, IP
 * addresses and CIDR ranges, each with an optional port, or `*` for all.
 */
import { request as httpRequest } from 'node:http';
import { BlockList, isIP, type Socket } from 'node:net';

/** Error of a proxy that cannot be used: an unsupported URL, or a rejected tunnel. */
export class HttpProxyError extends Error {
  override readonly name = 'HttpProxyError';
}

/**
 * Returns the proxy for a request to `url`, or undefined to connect directly.
 *
 * @throws HttpProxyError when the variable names a proxy that is not an
 * http:// URL.
 */
export function proxyFor(url: URL, env: NodeJS.ProcessEnv = process.env): URL | undefined {
  const name = url.protocol === 'https:' ? 'HTTPS_PROXY' : 'HTTP_PROXY';
  const value = variable(env, name);
  if (value === undefined || isLocalHost(url.hostname)) return undefined;
  if (bypassed(url, variable(env, 'NO_PROXY') ?? '')) return undefined;
  let proxy: URL;
  try {
    proxy = new URL(value.includes('://') ? value : `http://${value}`);
  } catch {
    throw new HttpProxyError(`${name}=${value} is not a URL; write it as http://HOST:PORT`);
  }
  if (proxy.protocol !== 'http:') {
    throw new HttpProxyError(
      `${name}=${value} is a ${proxy.protocol.slice(0, -1)} proxy, which ADD does not support; name an http:// proxy`,
    );
  }
  return proxy;
}

/** Returns the `Proxy-Authorization` header of a proxy URL with a user name, if any. */
export function proxyAuthorization(proxy: URL): Record<string, string> {
  if (proxy.username === '') return {};
  const user = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { 'Proxy-Authorization': `Basic ${Buffer.from(user).toString('base64')}` };
}

/**
 * Opens a tunnel to `url`'s host and port through the proxy with CONNECT,
 * and resolves with its socket once the proxy returns status 200.
 *
 * @throws HttpProxyError when the proxy returns another status.
 */
export function openTunnel(proxy: URL, url: URL, signal: AbortSignal | undefined): Promise<Socket> {
  const target = `${url.hostname}:${url.port || 443}`;
  return new Promise((resolve, reject) => {
    const request = httpRequest({
      host: unbracketed(proxy.hostname),
      port: proxy.port || 80,
      method: 'CONNECT',
      path: target,
      headers: { Host: target, ...proxyAuthorization(proxy) },
      signal,
    });
    request.on('connect', (response, socket) => {
      if (response.statusCode === 200) {
        resolve(socket);
        return;
      }
      socket.destroy();
      const status = `${response.statusCode} ${response.statusMessage ?? ''}`.trim();
      const where = `${proxy.protocol}//${proxy.host}`;
      reject(
        new HttpProxyError(
          `the proxy ${where} rejected CONNECT to ${target} (${status}); check the proxy settings`,
        ),
      );
    });
    request.on('error', (error) => reject(unreachableProxy(proxy, error)));
    request.end();
  });
}

/** Codes of a proxy that cannot be reached. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
]);

/**
 * Returns the error of a request through a proxy: one that names the proxy
 * when the proxy cannot be reached, else the error itself.
 */
export function unreachableProxy(proxy: URL, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (!UNREACHABLE.has(code)) return error;
  const fix = 'check HTTP_PROXY, HTTPS_PROXY and NO_PROXY';
  return new HttpProxyError(`failed to reach the proxy ${proxy.host} (${code}); ${fix}`, {
    cause: error,
  });
}

function variable(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name] || env[name.toLowerCase()];
  return value === undefined || value === '' ? undefined : value;
}

function isLocalHost(hostname: string): boolean {
  const host = unbracketed(hostname);
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/** Returns whether a `NO_PROXY` entry matches the URL's host and port. */
function bypassed(url: URL, noProxy: string): boolean {
  const host = unbracketed(url.hostname).toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return noProxy
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== '')
    .some((entry) => entry === '*' || matchesEntry(host, port, entry));
}

function matchesEntry(host: string, port: string, entry: string): boolean {
  if (entry.includes('/')) return inRange(host, entry);
  const { name, entryPort } = splitPort(entry);
  if (entryPort !== undefined && entryPort !== port) return false;
  if (isIP(name) !== 0) return name === host;
  const domain = name.replace(/^\*?\./, '');
  return host === domain || host.endsWith(`.${domain}`);
}

/** Splits `host:port`, `[v6]:port` or a bare host or IPv6 address. */
function splitPort(entry: string): { name: string; entryPort: string | undefined } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed !== null) return { name: bracketed[1] ?? '', entryPort: bracketed[2] };
  if (isIP(entry) === 6) return { name: entry, entryPort: undefined };
  const match = /^(.*):(\d+)$/.exec(entry);
  return match === null
    ? { name: entry, entryPort: undefined }
    : { name: match[1] ?? '', entryPort: match[2] };
}

function inRange(host: string, cidr: string): boolean {
  const [network = '', bits = ''] = cidr.split('/');
  const family = isIP(network);
  if (family === 0 || isIP(host) !== family) return false;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const list = new BlockList();
  try {
    list.addSubnet(network, Number(bits), type);
  } catch {
    return false;
  }
  return list.check(host, type);
}

/** Returns a URL's host name without the brackets of an IPv6 address. */
export function unbracketed(hostname: string): string {
  return hostname.replace(/^\[(.*)\]$/, '$1');
}

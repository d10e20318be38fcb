/** Typing of RUN, CMD, ENTRYPOINT, SHELL and HEALTHCHECK. */
import type { InstructionNode } from '../syntax/nodes.js';
import type { Base, TypingContext } from './build-typed.js';
import { requireArguments } from './build-typed.js';
import { findKnownFlag, knownFlags, report } from './typed-flags.js';
import type {
  Command,
  CommandInstruction,
  HealthcheckInstruction,
  RunInstruction,
} from './types.js';

/** Reads the command of an instruction in exec or shell form. */
export function commandOf(syntax: InstructionNode, skip = 0): Command {
  const args = syntax.arguments.slice(skip).map((node) => node.value);
  if (syntax.form === 'exec') return { form: 'exec', arguments: args };
  return { form: 'shell', script: args.join(' ') };
}

/** Builds RUN with its mounts, network and security flags. */
export function buildRun(base: Base, context: TypingContext): RunInstruction {
  if (base.syntax.heredocs.length === 0) requireArguments(base, context, 1, 'RUN make');
  return {
    range: base.range,
    flags: base.flags,
    syntax: base.syntax,
    name: 'RUN',
    kind: 'run',
    command: commandOf(base.syntax),
    heredocs: base.syntax.heredocs,
    mounts: knownFlags(base, 'mount'),
    network: findKnownFlag(base, 'network'),
    security: findKnownFlag(base, 'security'),
  };
}

/** Builds CMD, ENTRYPOINT and SHELL; SHELL must be in exec form. */
export function buildCommand(base: Base, context: TypingContext): CommandInstruction {
  const name = base.name as CommandInstruction['name'];
  if (name === 'SHELL' && base.syntax.form !== 'exec') {
    report(
      context.diagnostics,
      'shell-not-exec-form',
      'SHELL requires the arguments as a JSON array, for example SHELL ["/bin/sh", "-c"]',
      base.syntax.range,
    );
  }
  return {
    range: base.range,
    flags: base.flags,
    syntax: base.syntax,
    name,
    kind: 'command',
    command: commandOf(base.syntax),
  };
}

/** Builds HEALTHCHECK NONE or HEALTHCHECK [options] CMD command. */
export function buildHealthcheck(base: Base, context: TypingContext): HealthcheckInstruction {
  const options = {
    interval: findKnownFlag(base, 'interval'),
    timeout: findKnownFlag(base, 'timeout'),
    startPeriod: findKnownFlag(base, 'start-period'),
    startInterval: findKnownFlag(base, 'start-interval'),
    retries: findKnownFlag(base, 'retries'),
  };
  const type = base.syntax.arguments[0]?.value.toUpperCase();
  const test = readTest(base, context, type);
  return {
    range: base.range,
    flags: base.flags,
    syntax: base.syntax,
    name: 'HEALTHCHECK',
    kind: 'healthcheck',
    test,
    interval: options.interval,
    timeout: options.timeout,
    startPeriod: options.startPeriod,
    startInterval: options.startInterval,
    retries: options.retries,
  };
}

function readTest(
  base: Base,
  context: TypingContext,
  type: string | undefined,
): HealthcheckInstruction['test'] {
  if (type === 'NONE') {
    if (base.syntax.arguments.length > 1 || base.flags.length > 0) {
      report(
        context.diagnostics,
        'invalid-healthcheck',
        'HEALTHCHECK NONE takes no options or arguments',
        base.syntax.range,
      );
    }
    return { kind: 'none' };
  }
  if (type !== 'CMD') {
    const got = type === undefined ? 'nothing' : JSON.stringify(base.syntax.arguments[0]?.value);
    report(
      context.diagnostics,
      'invalid-healthcheck',
      `HEALTHCHECK takes NONE or CMD, got ${got}; write HEALTHCHECK CMD curl -f http://localhost/ or HEALTHCHECK NONE`,
      base.syntax.range,
    );
  }
  if (type === 'CMD' && base.syntax.arguments.length < 2) {
    report(
      context.diagnostics,
      'missing-arguments',
      'HEALTHCHECK CMD needs a command, for example HEALTHCHECK CMD curl -f http://localhost/',
      base.syntax.range,
    );
  }
  return { kind: 'cmd', command: commandOf(base.syntax, 1) };
}

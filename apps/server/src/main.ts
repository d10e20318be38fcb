#!/usr/bin/env node
/**
 * The `gantry-server` command: reads its options from the command line and
 * the environment, starts the server, and stops it on SIGINT or SIGTERM.
 */
import { parseArgs } from 'node:util';
import {
  readKeptOutput,
  readLogLevel,
  readOptionalCount,
  readPort,
  readSize,
  readToken,
} from './cli-options.js';
import { createLogger } from './logger.js';
import { startServer } from './server.js';

const HELP = `Usage: gantry-server [OPTIONS]

Builds container images from uploaded contexts with gantry, and answers the
docker CLI's build requests: docker -H tcp://127.0.0.1:2375 build .

Options:
  --host ADDRESS          address to listen on (default 127.0.0.1; any other needs a token)
  --port PORT             TCP port (default 2375; 0 picks a free one)
  --token-file PATH       file whose first line is the token every route but
                          /healthz and /readyz requires
                          (or set GANTRY_SERVER_TOKEN)
  --max-context-size SIZE maximum build context in bytes, or with k, m or g (default 1g)
  --max-builds N          builds that run at once (default 4)
  --max-queue N           builds that may wait; more get 429 (default 16)
  --keep-builds N         finished builds kept for the API and the page (default 100)
  --keep-output SIZE      step output each build keeps, in bytes or with k, m or g
                          (default 4m, at least 1m): the first and last half of it, with a note
                          of what was left out; also how far a log reader may fall
                          behind before it is disconnected
  --log-level LEVEL       pino level: trace, debug, info, warn, error, fatal or silent
                          (default info)
  -h, --help              print this help
`;

const OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  'token-file': { type: 'string' },
  'max-context-size': { type: 'string' },
  'max-builds': { type: 'string' },
  'max-queue': { type: 'string' },
  'keep-builds': { type: 'string' },
  'keep-output': { type: 'string' },
  'log-level': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({ args: [...argv], options: OPTIONS, strict: true });
  if (values.help === true) {
    process.stdout.write(HELP);
    return 0;
  }
  const logger = createLogger(readLogLevel(values['log-level']));
  process.on('unhandledRejection', (error) => logger.error({ err: error }, 'unhandled rejection'));
  const server = await startServer({
    host: values.host,
    port: readPort(values.port ?? '2375'),
    token: readToken(values['token-file']),
    maxContextBytes: readSize('--max-context-size', values['max-context-size']),
    maxConcurrentBuilds: readOptionalCount('--max-builds', values['max-builds'], 1),
    maxQueuedBuilds: readOptionalCount('--max-queue', values['max-queue'], 0),
    maxRetainedBuilds: readOptionalCount('--keep-builds', values['keep-builds'], 1),
    maxKeptOutputBytes: readKeptOutput(values['keep-output']),
    logger,
  });
  await stopSignal();
  await server.close();
  return 0;
}

function stopSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`gantry-server: ${message}\nSee 'gantry-server --help'.\n`);
    process.exitCode = 2;
  },
);

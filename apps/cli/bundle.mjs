// Bundles the built CLI into dist/bundle with esbuild: `gantry.cjs`, one
// CommonJS file that `main.js` (the executable, from src/launch.ts) loads
// through V8's code cache. Commands stay lazily initialised: esbuild turns
// each dynamic import into a call that runs the module's code on first use.
import { chmodSync, copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { build } from 'esbuild';

rmSync('dist/bundle', { recursive: true, force: true });

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

/**
 * Modules that a build never uses but that their importers load at start:
 * dockerode's BuildKit session (gRPC and protobuf) and docker-modem's SSH
 * client. Each is bundled into a file of its own under `deferred/`. In the
 * main bundle, a module that requires that file on first call replaces it, so
 * a run that does not reach an ssh:// engine neither reads nor loads them.
 * Their 0.8 MB out of the main bundle made a cached build 10 to 11 ms faster
 * (2 cores, medians of 30 runs). docker-modem and @gantry/daemon also load
 * node:https, and with it node:tls, which only a TLS engine needs. Their shims
 * require the built-in module on first use, which saved 1 to 2 ms.
 */
const DEFERRED = [
  {
    importer: /dockerode[/\\]lib[/\\]docker\.js$/,
    path: './session',
    shape: 'function',
    file: 'buildkit-session.cjs',
  },
  {
    importer: /docker-modem[/\\]lib[/\\]ssh\.js$/,
    path: 'ssh2',
    shape: 'client',
    file: 'ssh2.cjs',
  },
  // docker-modem 5.0 calls only `request` on the module.
  {
    importer: /docker-modem[/\\]lib[/\\]http\.js$/,
    path: 'https',
    shape: 'request',
    builtin: 'node:https',
  },
  // The daemon only constructs an `Agent`, and only for a TLS engine.
  {
    importer: /daemon[/\\]dist[/\\]connection[/\\]dockerode-options\.js$/,
    path: 'node:https',
    shape: 'agent',
    builtin: 'node:https',
  },
];

const SHIMS = {
  function: (real) =>
    `module.exports = function deferred(...args) { return require(${real}).apply(this, args); };`,
  client: (real) =>
    [
      'class Client {',
      `  constructor(...args) { return new (require(${real}).Client)(...args); }`,
      '}',
      'module.exports = { Client };',
    ].join('\n'),
  agent: (real) =>
    [
      'class Agent {',
      `  constructor(...args) { return new (require(${real}).Agent)(...args); }`,
      '}',
      'module.exports = { Agent };',
    ].join('\n'),
  request: (real) =>
    `module.exports = { request: (...args) => require(${real}).request(...args) };`,
};

/** Resolved path of each {@link DEFERRED} entry, filled while the main bundle builds. */
const deferredPaths = new Map();

/** @type {import('esbuild').Plugin} */
const deferModules = {
  name: 'defer-modules',
  setup(bundle) {
    bundle.onResolve({ filter: /^(\.\/session|ssh2|https|node:https)$/ }, (args) => {
      const entry = DEFERRED.find((d) => d.path === args.path && d.importer.test(args.importer));
      if (entry === undefined) return undefined;
      deferredPaths.set(entry, entry.builtin ?? createRequire(args.importer).resolve(args.path));
      // The path names the shim, one per entry, because esbuild shares modules of the same path.
      const shim = entry.file ?? `${entry.builtin}-${entry.shape}`;
      return { path: shim, namespace: 'deferred', pluginData: entry };
    });
    bundle.onLoad({ filter: /.*/, namespace: 'deferred' }, ({ pluginData: entry }) => ({
      contents: SHIMS[entry.shape](JSON.stringify(entry.builtin ?? `./deferred/${entry.file}`)),
      loader: 'js',
    }));
    // The shims' require calls run against the files beside the main bundle.
    bundle.onResolve({ filter: /.*/, namespace: 'deferred' }, (args) => ({
      path: args.path,
      external: true,
    }));
  },
};

/**
 * Edits of dependency source, each a text replacement that must match exactly
 * once: the bundle step fails when an upgrade changes the text, so an edit is
 * never lost silently.
 */
const EDITS = [
  {
    // docker-modem 5.0 formats every request's options with `util.inspect` for
    // its `modem` debug log even when that log is off, 6 to 7 ms of a cached
    // seed build on 2 cores. The edit formats them only when `DEBUG` enables it.
    file: /docker-modem[/\\]lib[/\\]modem\.js$/,
    find: "debug('Sending: %s', util.inspect(",
    replace: "debug.enabled && debug('Sending: %s', util.inspect(",
  },
];

/** @type {import('esbuild').Plugin} */
const editSources = {
  name: 'edit-sources',
  setup(bundle) {
    const filter = new RegExp(EDITS.map((edit) => edit.file.source).join('|'));
    const applied = new Set();
    bundle.onLoad({ filter }, async (args) => {
      let contents = await readFile(args.path, 'utf8');
      for (const edit of EDITS.filter((e) => e.file.test(args.path))) {
        const count = contents.split(edit.find).length - 1;
        if (count !== 1) {
          const found = `${JSON.stringify(edit.find)} occurs ${count} times, expected once`;
          throw new Error(`cannot edit ${args.path}: ${found}; update its edit in bundle.mjs`);
        }
        contents = contents.replace(edit.find, edit.replace);
        applied.add(edit);
      }
      return { contents, loader: 'js' };
    });
    bundle.onEnd((result) => {
      if (result.errors.length > 0) return;
      const missing = EDITS.filter((edit) => !applied.has(edit)).map((edit) => edit.file);
      if (missing.length > 0) {
        const files = missing.join(', ');
        throw new Error(
          `no bundled file matches ${files}; update or remove its edit in bundle.mjs`,
        );
      }
    });
  },
};

/**
 * The `debug` package, which docker-modem and @gantry/daemon log through,
 * reads `DEBUG` once, when it loads, and without it every logger is off.
 * Loading it (with `tty` and `supports-color`) took 3 to 4 ms of every run.
 * In its place, a module that returns the real package when `DEBUG` is set at
 * start, and otherwise disabled loggers with the same shape. Nothing in the
 * bundle calls `debug.enable()`, which would turn loggers on later.
 */
const debugStandIn = {
  name: 'debug-stand-in',
  setup(bundle) {
    bundle.onResolve({ filter: /^debug$/ }, (args) => ({
      path: createRequire(args.importer).resolve('debug'),
      namespace: 'debug-stand-in',
    }));
    bundle.onLoad({ filter: /.*/, namespace: 'debug-stand-in' }, (args) => ({
      contents: [
        'function disabled(namespace) {',
        '  const log = () => {};',
        '  log.enabled = false;',
        '  log.namespace = namespace;',
        '  log.log = () => {};',
        "  log.extend = (name, delimiter = ':') => disabled(namespace + delimiter + name);",
        '  log.destroy = () => false;',
        '  return log;',
        '}',
        'disabled.enabled = () => false;',
        'disabled.default = disabled;',
        `module.exports = process.env.DEBUG ? require(${JSON.stringify(args.path)}) : disabled;`,
      ].join('\n'),
      resolveDir: dirname(args.path),
      loader: 'js',
    }));
  },
};

const shared = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
};

await build({
  ...shared,
  entryPoints: ['dist/main.js'],
  outfile: 'dist/bundle/gantry.cjs',
  format: 'cjs',
  // Short identifiers made the file 30 % smaller and a cached build 3 to 7 ms
  // faster (2 cores, medians of 30 to 50 runs). Every error class of gantry
  // sets its `name` itself, so `keepNames`, which cost back half of that, is
  // off. The map serves stack traces under `node --enable-source-maps`.
  minifyIdentifiers: true,
  sourcemap: true,
  sourcesContent: false,
  // ssh2 loads this optional native module inside a try block.
  external: ['cpu-features'],
  define: { GANTRY_VERSION: JSON.stringify(version) },
  // version.ts reads import.meta.url only when GANTRY_VERSION is not defined.
  logOverride: { 'empty-import-meta': 'silent' },
  plugins: [deferModules, editSources, debugStandIn],
});

for (const entry of DEFERRED) {
  const path = deferredPaths.get(entry);
  if (path === undefined) {
    throw new Error(
      `no bundled module imports ${entry.path}; update or remove its entry in bundle.mjs`,
    );
  }
  if (entry.builtin !== undefined) continue;
  await build({
    ...shared,
    entryPoints: [path],
    outfile: `dist/bundle/deferred/${entry.file}`,
    format: 'cjs',
    minifyIdentifiers: true,
    sourcemap: true,
    sourcesContent: false,
    external: ['cpu-features'],
  });
}

// The executable is CommonJS because Node.js 20 then loads most of its ES
// module loader only on demand: an empty CommonJS file started about 10 ms
// sooner than an empty ES module (2 cores, median of 20 runs). The package.json
// beside it makes `.js` mean CommonJS there, so the `bin` path stays the same.
await build({
  ...shared,
  entryPoints: ['dist/launch.js'],
  outfile: 'dist/bundle/main.js',
  format: 'cjs',
  define: { 'import.meta.url': 'launcherUrl' },
  // esbuild leaves `import.meta.url` empty in CommonJS output, so the banner
  // defines it from `__filename`. The banner comes first, so it repeats "use strict".
  banner: {
    js: "'use strict';\nconst launcherUrl = require('node:url').pathToFileURL(__filename).href;",
  },
});
writeFileSync('dist/bundle/package.json', `${JSON.stringify({ type: 'commonjs' })}\n`);

// The installed command: a shell script that starts main.js (see src/gantry.sh).
copyFileSync('src/gantry.sh', 'dist/bundle/gantry');
chmodSync('dist/bundle/gantry', 0o755);

#!/usr/bin/env bash
# Checks that every published package installs and works outside the workspace.
# It publishes the workspace's public packages with `pnpm publish` to a verdaccio
# registry of its own on 127.0.0.1. Then it installs them with npm from that
# registry into an empty folder and uses each one as its README shows: ESM
# imports, the type declarations under tsc, the gantry and gantry-server bins,
# and real builds on the Docker Engine. verdaccio serves @gantry/* from what was
# published and proxies every other package to https://registry.npmjs.org.
#
# On exit, failure included, it stops verdaccio and the server, removes the
# images it built and deletes its temporary folder. npm and pnpm read npm
# configuration files of its own, never ~/.npmrc, but npm's download cache
# (~/.npm) keeps the tarballs it fetched.
# Set GANTRY_PACKAGING_KEEP=1 to keep the temporary folder for a look.
set -euo pipefail
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
cd "$(dirname "$0")/.."
# The clean-up writes to these copies of standard output and error.
exec 3>&1 4>&2

root=$PWD
started=$SECONDS
work_dir=$(mktemp -d "${TMPDIR:-/tmp}/gantry-packaging.XXXXXX")
user_dir=$work_dir/project
run_id=packaging-$(date +%s)-$$
image=gantry-packaging-$run_id:latest
registry_pid=
failures=()

log() {
  echo "packaging.sh: $*"
}

# --- Clean-up -----------------------------------------------------------------

stop_process() {
  local pid=$1
  [[ -n $pid ]] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}

# Removes the images that this run built: the final images, labelled with the
# run id, and then any step image that the builds listed in images.txt (a
# failed build may leave those). The base image busybox:latest stays.
remove_images() {
  local labelled base id
  labelled=$(docker images -q --no-trunc --filter "label=io.gantry.test=$run_id" | sort -u)
  for id in $labelled; do
    docker rmi --force "$id" >/dev/null || log "could not remove the image $id"
  done
  [[ -f $work_dir/images.txt ]] || return 0
  base=$(docker image inspect -f '{{.Id}}' busybox:latest)
  for id in $(sort -u "$work_dir/images.txt"); do
    [[ $base != sha256:$id* && $base != "$id" ]] || continue
    if docker image inspect "$id" >/dev/null 2>&1; then
      docker rmi "$id" >/dev/null || log "could not remove the image $id"
    fi
  done
}

cleanup() {
  local status=$?
  set +e
  # A signal's trap runs when the interrupted command ends, with that
  # command's redirection to a log file still in place.
  exec 1>&3 2>&4
  stop_process "$registry_pid"
  remove_images
  if [[ ${GANTRY_PACKAGING_KEEP:-0} == 1 ]]; then
    log "kept $work_dir"
  else
    rm -rf "$work_dir"
  fi
  log "finished in $((SECONDS - started)) s, clean-up included"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- Checks -------------------------------------------------------------------

# Runs one check of one package in the user's project with its output in a log
# file, and records a failure instead of stopping, so that one run lists every
# broken package. A command that is not a shell function gets 120 s.
# Usage: check PACKAGE DESCRIPTION COMMAND [ARGUMENT...]
check() {
  local package=$1 description=$2
  shift 2
  local output
  output=$work_dir/logs/$(printf '%03d' "$(find "$work_dir/logs" -type f | wc -l)").log
  if [[ $(type -t "$1") != function ]]; then
    set -- timeout 120 "$@"
  fi
  if (cd "$user_dir" && "$@") >"$output" 2>&1; then
    echo "  ok   $package: $description"
  else
    echo "  FAIL $package: $description" >&2
    tail -n 40 "$output" | sed 's/^/       /' >&2
    failures+=("$package: $description")
  fi
}

# Stops the script when a step that every later check needs failed.
require() {
  local description=$1
  shift
  if ! "$@" >"$work_dir/logs/step.log" 2>&1; then
    tail -n 60 "$work_dir/logs/step.log" | sed 's/^/    /' >&2
    log "failed: $description" >&2
    exit 1
  fi
}

# Fails when a folder above the project has a node_modules folder, because
# Node.js and tsc would resolve the project's imports there too.
require_isolated_project() {
  local folder
  folder=$(dirname "$user_dir")
  while [[ $folder != / ]]; do
    folder=$(dirname "$folder")
    if [[ -e ${folder%/}/node_modules ]]; then
      log "${folder%/}/node_modules exists, so Node.js would find packages there that the" \
        "registry did not install; remove it or set TMPDIR to a folder outside it" >&2
      exit 1
    fi
  done
}

free_port() {
  node -e "const s = require('node:net').createServer().listen(0, '127.0.0.1', () => {
    console.log(s.address().port);
    s.close();
  });"
}

# Prints name, version and folder of each public workspace package, one a line.
public_packages() {
  pnpm ls --recursive --depth -1 --json | node -e "
    const packages = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
    for (const p of packages) if (p.private !== true && p.name) console.log(p.name, p.version, p.path);"
}

# --- Registry -----------------------------------------------------------------

write_registry_config() {
  local port=$1
  mkdir -p "$work_dir/registry/storage"
  cat >"$work_dir/registry/config.yaml" <<CONFIG
storage: $work_dir/registry/storage
auth:
  htpasswd:
    file: $work_dir/registry/htpasswd
    max_users: 1
uplinks:
  npmjs:
    url: https://registry.npmjs.org/
    timeout: 60s
packages:
  '@gantry/*':
    access: \$all
    publish: \$authenticated
  '**':
    access: \$all
    proxy: npmjs
web:
  enable: false
max_body_size: 100mb
log: { type: stdout, format: pretty, level: warn }
CONFIG
}

start_registry() {
  local port
  port=$(free_port)
  registry=http://127.0.0.1:$port/
  write_registry_config "$port"
  node "$root/node_modules/verdaccio/bin/verdaccio" --config "$work_dir/registry/config.yaml" \
    --listen "127.0.0.1:$port" >"$work_dir/registry/verdaccio.log" 2>&1 3>&- 4>&- &
  registry_pid=$!
  for ((i = 0; i < 300; i++)); do
    if curl -fsS "${registry}-/ping" >/dev/null 2>&1; then
      return 0
    fi
    if ! kill -0 "$registry_pid" 2>/dev/null; then
      break
    fi
    sleep 0.1
  done
  tail -n 20 "$work_dir/registry/verdaccio.log" >&2
  log "verdaccio did not respond on $registry within 30 s; its log is above" >&2
  exit 1
}

# Creates the registry's only user and writes two npm configuration files, one
# with that user's token for publishing and one without for installing. The
# install sends no token because verdaccio then checks the password inside it
# with bcrypt on every request, about 250 ms each on this 2-core machine.
write_npm_configs() {
  local password response token
  password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  response=$(curl -sS -X PUT -H 'content-type: application/json' \
    -d "{\"name\":\"gantry-packaging\",\"password\":\"$password\"}" \
    "${registry}-/user/org.couchdb.user:gantry-packaging")
  token=$(node -e "
    try { process.stdout.write(JSON.parse(process.argv[1]).token ?? ''); } catch {}" "$response")
  if [[ -z $token ]]; then
    log "verdaccio created no token for the publishing user: $response" >&2
    exit 1
  fi
  local settings='update-notifier=false
fund=false
audit=false'
  printf 'registry=%s\n%s\n' "$registry" "$settings" >"$work_dir/npmrc-install"
  printf 'registry=%s\n//%s:_authToken=%s\n%s\n' \
    "$registry" "${registry#http://}" "$token" "$settings" >"$work_dir/npmrc-publish"
}

# Publishes one package with pnpm, which rewrites its workspace: ranges as a
# release would.
publish_package() {
  (cd "$1" && npm_config_userconfig="$work_dir/npmrc-publish" \
    pnpm publish --no-git-checks --registry "$registry")
}

publish_all() {
  local name version path
  while read -r name version path; do
    require "pnpm publish of $name" publish_package "$path"
    log "published $name@$version"
    specs+=("$name@$version")
  done < <(public_packages)
}

# Installs with npm from the local registry alone. The command-line flags win
# over any registry that the environment or a global npmrc sets.
install_packages() {
  (cd "$user_dir" && npm install --userconfig "$work_dir/npmrc-install" --registry "$registry" \
    "--@gantry:registry=$registry" --prefer-online --no-audit --no-fund "$@")
}

# --- The user's project -------------------------------------------------------

write_project() {
  mkdir -p "$user_dir/context"
  cat >"$user_dir/package.json" <<'JSON'
{ "name": "gantry-packaging-check", "private": true, "type": "module" }
JSON

  cat >"$user_dir/context/Dockerfile" <<'DOCKERFILE'
FROM busybox:latest
RUN echo "built by the packaging check" > /greeting.txt && cat /greeting.txt
DOCKERFILE

  cat >"$user_dir/check-manifest.mjs" <<'JS'
// Checks one installed package's manifest against its files: no workspace:
// range, every exports and bin target present, declarations for ".". From the
// entry points on, every relative import must reach a shipped file and every
// imported package must be declared in dependencies.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';

const name = process.argv[2];
const root = join('node_modules', name);
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const dependencyFields = ['dependencies', 'peerDependencies', 'optionalDependencies'];
for (const field of dependencyFields) {
  for (const [dependency, range] of Object.entries(manifest[field] ?? {})) {
    assert.ok(!range.startsWith('workspace:'), `${field}.${dependency} is still ${range}`);
  }
}
const declared = new Set(dependencyFields.flatMap((field) => Object.keys(manifest[field] ?? {})));

function exportTargets(value) {
  if (typeof value === 'string') return [value];
  return Object.values(value ?? {}).flatMap(exportTargets);
}
const entries = exportTargets(manifest.exports).filter((path) => !path.endsWith('package.json'));
for (const path of entries) assert.ok(existsSync(join(root, path)), `exports target ${path} is missing`);
if (manifest.exports?.['.'] !== undefined) {
  assert.ok(typeof manifest.exports['.'].types === 'string', 'exports "." has no types condition');
}
for (const [command, path] of Object.entries(manifest.bin ?? {})) {
  assert.ok(existsSync(join(root, path)), `bin ${command} (${path}) is missing`);
  const firstLine = readFileSync(join(root, path), 'utf8').split('\n', 1)[0];
  // A bin is a Node.js script, or a shell script such as @gantry/cli's `gantry`.
  assert.match(firstLine, /^#!(.*node|\/bin\/sh)$/, `bin ${command} (${path}) has no node or sh shebang`);
}

const testFiles = [];
for (const entry of readdirSync(root, { recursive: true })) {
  if (/\.test\.[cm]?[jt]s$/.test(entry)) testFiles.push(entry);
}
assert.deepEqual(testFiles, [], 'the package ships test files');

const SPECIFIERS = [
  /^\s*(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]/gm,
  /^\s*import\s*['"]([^'"]+)['"]/gm,
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
];
const builtins = new Set(builtinModules);
const packageOf = (specifier) =>
  specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
const typesPackageOf = (packageName) => `@types/${packageName.replace(/^@/, '').replace('/', '__')}`;

const undeclared = new Map();
const unshipped = [];
const queue = entries.map((path) => join(root, path));
const seen = new Set(queue);
while (queue.length > 0) {
  const file = queue.pop();
  const text = readFileSync(file, 'utf8');
  const isDeclaration = file.endsWith('.d.ts');
  for (const pattern of SPECIFIERS) {
    for (const [, specifier] of text.matchAll(pattern)) {
      if (specifier.startsWith('.')) {
        let target = join(dirname(file), specifier);
        if (isDeclaration) target = target.replace(/\.js$/, '.d.ts');
        if (!existsSync(target)) {
          unshipped.push(`${relative(root, target)} (imported by ${relative(root, file)})`);
        } else if (!seen.has(target)) {
          seen.add(target);
          queue.push(target);
        }
        continue;
      }
      if (specifier.startsWith('node:') || builtins.has(specifier)) continue;
      const dependency = packageOf(specifier);
      if (dependency === name || declared.has(dependency)) continue;
      if (isDeclaration && declared.has(typesPackageOf(dependency))) continue;
      if (!undeclared.has(dependency)) undeclared.set(dependency, relative(root, file));
    }
  }
}
assert.deepEqual(unshipped, [], 'imported files that the package does not ship');
const missing = [...undeclared].map(([dependency, file]) => `${dependency} (imported by ${file})`);
assert.deepEqual(missing, [], 'imported packages that are missing from dependencies');
console.log(`${name}: ${seen.size} entry and imported files checked`);
JS

  cat >"$user_dir/check-dockerfile.mjs" <<'JS'
import assert from 'node:assert/strict';
import { createDockerfileParser, parse, printSyntax } from '@gantry/dockerfile';

const text = 'FROM busybox:latest\nRUN <<EOF\necho hello\nEOF\nFORM busybox\n';
const file = parse(text);
const heredoc = file.syntax.instructions[1]?.heredocs[0];
assert.equal(heredoc?.name, 'EOF', 'heredoc name');
assert.equal(heredoc?.content, 'echo hello\n', 'heredoc content');
const errors = file.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
assert.deepEqual(errors.map((diagnostic) => diagnostic.rule), ['unknown-instruction']);
assert.equal(errors[0]?.range.start.line, 4, 'line of the unknown instruction');
assert.match(errors[0]?.message ?? '', /did you mean FROM\?/);
assert.equal(printSyntax(file.syntax), text, 'printSyntax must give the input back');

const extended = 'FROM busybox:latest\nCOPY --sbom . /src\nTEST go test ./...\n';
const builtinRules = parse(extended).diagnostics.map((diagnostic) => diagnostic.rule);
assert.ok(builtinRules.includes('unknown-flag'), 'the built-in parser knows no --sbom');
assert.ok(builtinRules.includes('unknown-instruction'), 'the built-in parser knows no TEST');

const parser = createDockerfileParser({
  instructions: [
    { name: 'TEST', arguments: 'exec-or-shell', type: (syntax) => syntax.arguments.length },
  ],
  flags: [{ instruction: 'COPY', name: 'sbom', parse: (value) => value !== 'false' }],
});
const result = parser.parse(extended);
assert.deepEqual(result.diagnostics, [], 'diagnostics of the extended parser');
const [, copy, test] = result.instructions;
assert.equal(copy?.flags[0]?.name, 'sbom');
assert.equal(copy?.flags[0]?.value, true, 'value of --sbom');
assert.equal(test?.name, 'TEST');
assert.equal(test?.data, 1, 'data of the TEST typer');
console.log('parsed, printed back and extended');
JS

  cat >"$user_dir/check-log-format.mjs" <<'JS'
import assert from 'node:assert/strict';
import {
  BUILD_EVENT_SCHEMA_VERSION,
  createRenderer,
  parseBuildEvent,
  renderEvents,
} from '@gantry/log-format';

const base = { version: BUILD_EVENT_SCHEMA_VERSION, time: Date.now() };
const imageId = `sha256:${'ab12'.repeat(16)}`;
const events = [
  { ...base, type: 'build-start', contextSize: 3072, steps: 1, stages: 1 },
  {
    ...base,
    type: 'step-start',
    step: 1,
    steps: 1,
    stage: 0,
    stageStep: 1,
    stageSteps: 1,
    instruction: 'FROM busybox:latest',
  },
  { ...base, type: 'step-done', step: 1, imageId, durationMs: 5 },
  { ...base, type: 'build-done', imageId, tags: ['demo'], durationMs: 9 },
].map((event) => parseBuildEvent(JSON.stringify(event)));

let text = '';
for await (const chunk of renderEvents(events, createRenderer('classic'))) text += chunk;
assert.match(text, /^Sending build context to Docker daemon {2}3\.072kB/);
assert.match(text, /Step 1\/1 : FROM busybox:latest/);
assert.match(text, /Successfully built ab12ab12ab12\n/);
assert.match(text, /Successfully tagged demo:latest\n/);
assert.throws(() => parseBuildEvent('{"type":"output"}'), { code: 'INVALID_BUILD_EVENT' });
console.log(text);
JS

  cat >"$user_dir/check-cache.mjs" <<'JS'
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LayerCache, MemoryStore, digestContext, stepId, toFileInput } from '@gantry/cache';

const contextDir = await mkdtemp(join(tmpdir(), 'context-'));
const statCacheDir = await mkdtemp(join(tmpdir(), 'stat-cache-'));
await mkdir(join(contextDir, 'website'));
await writeFile(join(contextDir, 'website', 'index.html'), '<h1>one</h1>\n');
await writeFile(join(contextDir, 'website', 'notes.tmp'), 'ignored\n');
await writeFile(join(contextDir, '.dockerignore'), '**/*.tmp\n');

async function copyInputs() {
  const context = await digestContext({ contextDir, statCacheDir });
  const files = [];
  for await (const entry of context.read({ under: ['website'] })) files.push(toFileInput(entry));
  return {
    parent: `sha256:${'1'.repeat(64)}`,
    platform: 'linux/amd64',
    instruction: 'COPY',
    arguments: ['website/', '/srv/'],
    files,
  };
}

const cache = new LayerCache({ store: new MemoryStore(), confirmImage: async () => true });
const step = stepId({ scope: `${contextDir}:Dockerfile`, stage: '0', index: 1, instruction: 'COPY' });
const first = await copyInputs();
assert.deepEqual(
  first.files.map((file) => file.path),
  ['website', 'website/index.html'],
  'files under website/ after .dockerignore',
);
assert.equal((await cache.lookup({ step, inputs: first })).hit, false, 'lookup of an empty cache');

const imageId = `sha256:${'2'.repeat(64)}`;
await cache.record({ step, inputs: first, imageId, size: 13, stepText: 'COPY website/ /srv/' });
const hit = await cache.lookup({ step, inputs: await copyInputs() });
assert.equal(hit.hit, true, 'lookup of unchanged inputs');
assert.equal(hit.hit && hit.entry.imageId, imageId);

await writeFile(join(contextDir, 'website', 'index.html'), '<h1>two</h1>\n');
const miss = await cache.lookup({ step, inputs: await copyInputs() });
assert.equal(miss.hit, false, 'lookup after a file changed');
const reasons = miss.hit ? [] : miss.reasons;
const changed = reasons.flatMap((reason) => reason.paths ?? []);
assert.deepEqual(changed, ['website/index.html'], 'paths of the miss reasons');
console.log(reasons.map((reason) => reason.message).join('\n'));
JS

  cat >"$user_dir/check-daemon.mjs" <<'JS'
import assert from 'node:assert/strict';
import { connectDockerEngine } from '@gantry/daemon';

const engine = await connectDockerEngine();
const ping = await engine.system.ping({ signal: AbortSignal.timeout(10_000) });
assert.match(ping.apiVersion ?? '', /^1\.\d+$/, 'API version of the ping');
assert.equal(ping.osType, 'linux');
assert.ok(await engine.images.exists('busybox:latest'), 'busybox:latest exists');
console.log(`engine at ${engine.address}, API ${engine.apiVersion}`);
JS

  cat >"$user_dir/check-builder.mjs" <<'JS'
// Builds the context with the installed builder (its bundled copy in the CLI
// does not use this package) and checks that no container of the build remains.
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { build } from '@gantry/builder';
import { connectDockerEngine } from '@gantry/daemon';
import { createRenderer } from '@gantry/log-format';

const runId = process.env.GANTRY_PACKAGING_RUN_ID;
const imagesFile = process.env.GANTRY_PACKAGING_IMAGES;
assert.ok(runId, 'GANTRY_PACKAGING_RUN_ID is not set');
assert.ok(imagesFile, 'GANTRY_PACKAGING_IMAGES is not set');
const engine = await connectDockerEngine();
const renderer = createRenderer('classic');
const containers = new Set();
const result = await build({
  contextDir: 'context',
  engine,
  pull: 'never',
  noCache: true,
  labels: { 'io.gantry.test': runId },
  signal: AbortSignal.timeout(120_000),
  onEvent: (event) => {
    if (event.type === 'container-created') containers.add(event.containerId);
    // The script removes these images at its end, also after a failed build.
    if (event.type === 'step-done') appendFileSync(imagesFile, `${event.imageId}\n`);
    process.stdout.write(renderer.render(event));
  },
});
const image = await engine.images.inspect(result.imageId);
assert.equal(image.Config?.Labels?.['io.gantry.test'], runId, 'label of the built image');
assert.ok(containers.size > 0, 'the build ran no container');
const left = new Set((await engine.containers.list({ all: true })).map((container) => container.Id));
for (const id of containers) assert.ok(!left.has(id), `container ${id} was not removed`);
JS

  cat >"$user_dir/check-server-library.mjs" <<'JS'
import assert from 'node:assert/strict';
import { startServer } from '@gantry/server';

const server = await startServer({ port: 0 });
try {
  const response = await fetch(new URL('/healthz', server.url));
  assert.equal(response.status, 200, 'status of GET /healthz');
  assert.deepEqual(await response.json(), { status: 'ok' });
} finally {
  await server.close();
}
JS

  cat >"$user_dir/check-cli-deferred.mjs" <<'JS'
// The CLI bundle loads its SSH and BuildKit session code from deferred/ on
// first use, which no check here reaches: require each file that it names.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const bundle = createRequire(import.meta.url).resolve('@gantry/cli/package.json')
  .replace(/package\.json$/, 'dist/bundle/gantry.cjs');
const named = new Set(readFileSync(bundle, 'utf8').match(/\.\/deferred\/[\w.-]+\.cjs/g) ?? []);
assert.ok(named.size > 0, `${bundle} names no deferred module`);
const requireFromBundle = createRequire(bundle);
for (const path of named) {
  const loaded = requireFromBundle(path);
  assert.notEqual(loaded, undefined, `${path} exports nothing`);
  console.log(`loaded ${path}`);
}
JS

  cat >"$user_dir/tsconfig.json" <<'JSON'
{
  "compilerOptions": {
    "strict": true,
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "target": "ES2022",
    "noEmit": true,
    "skipLibCheck": false,
    "types": ["node"]
  },
  "include": ["types-*.ts"]
}
JSON

  cat >"$user_dir/types-dockerfile.ts" <<'TS'
import {
  type Diagnostic,
  type Dockerfile,
  type DockerfileParser,
  type HeredocNode,
  createDockerfileParser,
  parse,
} from '@gantry/dockerfile';

const file: Dockerfile = parse('FROM busybox:latest\nRUN <<EOF\necho hi\nEOF\n');
const diagnostics: readonly Diagnostic[] = file.diagnostics;
const heredocs: readonly HeredocNode[] = file.syntax.instructions[1]?.heredocs ?? [];
const parser: DockerfileParser = createDockerfileParser({ instructions: [], flags: [] });
// @ts-expect-error: the declarations type a Dockerfile as an object, not any.
const wrong: string = file;
export const checked = [diagnostics, heredocs, parser, wrong];
TS

  # The READMEs of these two promise no dependency on Node, so they compile
  # without @types/node and without the DOM's types.
  cat >"$user_dir/tsconfig.portable.json" <<'JSON'
{
  "extends": "./tsconfig.json",
  "compilerOptions": { "lib": ["ES2022"], "types": [] },
  "include": ["types-dockerfile.ts", "types-log-format.ts"]
}
JSON

  cat >"$user_dir/types-log-format.ts" <<'TS'
import { type BuildEvent, createRenderer, type Renderer } from '@gantry/log-format';

const renderer: Renderer = createRenderer('classic');
export const render = (event: BuildEvent): string => renderer.render(event);
TS

  cat >"$user_dir/types-libraries.ts" <<'TS'
import type { BuildOptions, BuildResult } from '@gantry/builder';
import type { CacheKeyInputs, LayerCacheOptions } from '@gantry/cache';
import type { DockerEngine } from '@gantry/daemon';
import type { GantryServer, ServerOptions } from '@gantry/server';

export type Checked = [
  BuildOptions,
  BuildResult,
  CacheKeyInputs,
  LayerCacheOptions,
  DockerEngine,
  GantryServer,
  ServerOptions,
];
TS
}

# --- Checks of the bins -------------------------------------------------------

check_cli_version() {
  local output
  output=$(node_modules/.bin/gantry version) || return 1
  echo "$output"
  grep -qx "gantry $cli_version" <<<"$output" || {
    echo "expected the line 'gantry $cli_version'"
    return 1
  }
}

check_cli_parse() {
  local output
  output=$(node_modules/.bin/gantry parse --format dump context/Dockerfile) || return 1
  echo "$output"
  grep -qx '(from "busybox:latest")' <<<"$output" || {
    echo 'expected the line (from "busybox:latest")'
    return 1
  }
  printf 'FROM busybox:latest\nFORM busybox\n' >bad.Dockerfile
  if node_modules/.bin/gantry parse bad.Dockerfile; then
    echo 'gantry parse exited with 0 on an unknown instruction'
    return 1
  fi
}

# Builds with the bin, then checks the output, the label, and that each
# container the log names is gone.
check_cli_build() {
  local output=$work_dir/cli-build.log status=0 id
  timeout 120 node_modules/.bin/gantry build --pull never --no-cache \
    --label "io.gantry.test=$run_id" -t "$image" context >"$output" 2>&1 || status=$?
  sed -n 's/^ ---> \([0-9a-f]\{12,\}\)$/\1/p' "$output" >>"$work_dir/images.txt"
  cat "$output"
  if [[ $status -ne 0 ]]; then
    echo "gantry build exited with $status"
    return 1
  fi
  grep -q '^built by the packaging check$' "$output" || {
    echo 'the RUN step printed no greeting'
    return 1
  }
  grep -q "^Successfully tagged $image$" "$output" || {
    echo "expected the line 'Successfully tagged $image'"
    return 1
  }
  [[ $(docker image inspect -f '{{index .Config.Labels "io.gantry.test"}}' "$image") == "$run_id" ]] || {
    echo "$image has no label io.gantry.test=$run_id"
    return 1
  }
  for id in $(sed -n 's/^ ---> Running in \([0-9a-f]*\)$/\1/p' "$output"); do
    if docker container inspect "$id" >/dev/null 2>&1; then
      echo "container $id of the build was not removed"
      return 1
    fi
  done
}

# Starts the bin on a port the system picks, reads the address from its first
# log line, probes it, and stops it with SIGTERM as a service manager would.
check_server_bin() {
  local log_file=$work_dir/server.log pid status=0
  node_modules/.bin/gantry-server --port 0 >"$log_file" 2>&1 &
  pid=$!
  probe_server "$log_file" "$pid" || status=1
  stop_process "$pid"
  local exit_status=0
  wait "$pid" || exit_status=$?
  cat "$log_file"
  if [[ $exit_status -ne 0 ]]; then
    echo "gantry-server exited with $exit_status after SIGTERM"
    status=1
  fi
  return "$status"
}

probe_server() {
  local log_file=$1 pid=$2 url=''
  for ((i = 0; i < 100; i++)); do
    url=$(node -e "
      const line = require('node:fs').readFileSync(process.argv[1], 'utf8').split('\\n')[0];
      try { process.stdout.write(JSON.parse(line).url ?? ''); } catch {}" "$log_file")
    [[ -z $url ]] || break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if [[ -z $url ]]; then
    echo 'gantry-server logged no url within 10 s'
    return 1
  fi
  curl -fsS --max-time 10 "$url/healthz" && echo &&
    curl -fsS --max-time 10 "$url/readyz" && echo
}

# tsc checks the user's files and, with skipLibCheck off, every declaration
# file they reach. Each error names its file, whose path names the package.
check_types() {
  "$root/node_modules/.bin/tsc" -p "$1"
}

# --- Main ---------------------------------------------------------------------

mkdir -p "$work_dir/logs" "$work_dir/tmp" "$work_dir/cache"
log "work folder $work_dir, run id $run_id"
require_isolated_project

mapfile -t filters < <(public_packages | awk '{ print "--filter=" $1 }')
require "build of the public packages" pnpm turbo run build --output-logs=errors-only "${filters[@]}"

start_registry
log "verdaccio 6.8.0 answers on $registry"
write_npm_configs

specs=()
publish_all
cli_version=$(node -p "require('./apps/cli/package.json').version")

write_project
# The user's project leaves its temporary files and caches in the work folder,
# and finds packages in its own node_modules alone.
unset NODE_PATH
export TMPDIR=$work_dir/tmp XDG_CACHE_HOME=$work_dir/cache GANTRY_PACKAGING_RUN_ID=$run_id \
  GANTRY_PACKAGING_IMAGES=$work_dir/images.txt
install_started=$SECONDS
require "npm install of ${specs[*]} from $registry" install_packages "${specs[@]}" "@types/node@20"
log "installed ${#specs[@]} packages in an empty folder in $((SECONDS - install_started)) s"

for spec in "${specs[@]}"; do
  name=${spec%@*}
  check "$name" "manifest, files and declared dependencies" node check-manifest.mjs "$name"
done
check @gantry/dockerfile "parse, print back and extend" node check-dockerfile.mjs
check @gantry/log-format "render events as the classic log" node check-log-format.mjs
check @gantry/cache "digest a context, look up and record" node check-cache.mjs
check @gantry/daemon "ping the engine" node check-daemon.mjs
check @gantry/builder "build busybox on the engine" node check-builder.mjs
check @gantry/server "startServer and GET /healthz" node check-server-library.mjs
check "every library" "tsc --noEmit, strict, NodeNext, on the declarations" \
  check_types tsconfig.json
check "@gantry/dockerfile, @gantry/log-format" "tsc --noEmit without Node's types" \
  check_types tsconfig.portable.json
check @gantry/cli "the bundle's deferred modules load" node check-cli-deferred.mjs
check @gantry/cli "gantry version" check_cli_version
check @gantry/cli "gantry parse" check_cli_parse
check @gantry/cli "gantry build --pull never --no-cache" check_cli_build
check @gantry/server "gantry-server, GET /healthz and /readyz, SIGTERM" check_server_bin

if [[ ${#failures[@]} -gt 0 ]]; then
  log "${#failures[@]} checks failed:" >&2
  printf '  %s\n' "${failures[@]}" >&2
  exit 1
fi
log "every package installed and worked"

// Bundles chevrotain and the lodash-es modules it imports into one ESM file,
// vendor/chevrotain.js, which src/chevrotain.ts re-exports. chevrotain 11.2's
// own entry (lib/src/api.js) loads about 690 modules, 640 of them from lodash-es,
// which took 0.4 s on the 2-core development machine (bench/import-time.mjs),
// and its prebuilt bundle is not in its `exports` map. `pnpm build` runs this
// script. It also writes vendor/LICENSES.txt with the license of each bundled
// package, because the bundle carries their code.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const vendorDir = join(packageDir, 'vendor');

const LICENSE_FILES = ['LICENSE', 'LICENSE.txt', 'LICENSE.md', 'LICENCE'];

const result = await build({
  stdin: { contents: "export * from 'chevrotain';", resolveDir: packageDir, loader: 'js' },
  bundle: true,
  format: 'esm',
  // The grammar runs in browsers too, so the bundle must not assume Node.
  platform: 'neutral',
  mainFields: ['module', 'main'],
  target: 'es2022',
  legalComments: 'inline',
  metafile: true,
  write: false,
  outfile: join(vendorDir, 'chevrotain.js'),
  logLevel: 'warning',
});

const packages = bundledPackages(Object.keys(result.metafile.inputs));
const chevrotain = packages.find((entry) => entry.name === 'chevrotain');
if (chevrotain === undefined) {
  throw new Error(`esbuild bundled no file of chevrotain from ${packageDir}: run pnpm install`);
}

const [output] = result.outputFiles;
mkdirSync(vendorDir, { recursive: true });
writeAtomically(join(vendorDir, 'chevrotain.js'), banner(chevrotain, packages) + output.text);
writeAtomically(join(vendorDir, 'LICENSES.txt'), licenseTexts(packages));
const size = Math.round(output.contents.length / 1024);
console.log(`vendor/chevrotain.js: chevrotain ${chevrotain.version}, ${size} KB`);

/**
 * Returns name, version, license and folder of each package that one of the
 * bundle's input files belongs to, sorted by name.
 */
function bundledPackages(inputs) {
  const byFolder = new Map();
  for (const input of inputs) {
    if (input === '<stdin>') continue;
    const folder = packageFolder(join(packageDir, input));
    if (folder === undefined || byFolder.has(folder)) continue;
    const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
    byFolder.set(folder, {
      name: manifest.name,
      version: manifest.version,
      license: manifest.license,
      folder,
    });
  }
  return [...byFolder.values()].sort((left, right) => left.name.localeCompare(right.name));
}

/** Returns the nearest folder above `file` whose package.json has a name. */
function packageFolder(file) {
  for (let folder = dirname(file); folder !== dirname(folder); folder = dirname(folder)) {
    const manifestPath = join(folder, 'package.json');
    if (!existsSync(manifestPath)) continue;
    if (JSON.parse(readFileSync(manifestPath, 'utf8')).name !== undefined) return folder;
  }
  return undefined;
}

/**
 * Returns the bundle's first comment: the bundled packages and their licenses.
 * It is a `/*!` comment, which esbuild keeps as a legal comment when it bundles
 * this file again.
 */
function banner(chevrotain, packages) {
  const lines = packages.map((entry) => ` *   ${entry.name} ${entry.version} (${entry.license})`);
  return [
    `/*! chevrotain ${chevrotain.version}, bundled for @gantry/dockerfile by`,
    ' * tools/bundle-chevrotain.mjs. Generated: do not edit. It contains code of:',
    ...lines,
    ' * Their license texts are in vendor/LICENSES.txt of @gantry/dockerfile.',
    ' */',
    '',
  ].join('\n');
}

/** Returns each distinct license text once, headed by the packages that ship it. */
function licenseTexts(packages) {
  const packagesByText = new Map();
  for (const entry of packages) {
    const file = LICENSE_FILES.map((name) => join(entry.folder, name)).find(existsSync);
    const text =
      file === undefined
        ? `The package ships no license file. Its package.json names ${entry.license}.`
        : readFileSync(file, 'utf8').trim();
    packagesByText.set(text, [...(packagesByText.get(text) ?? []), entry]);
  }
  const sections = [...packagesByText].map(([text, owners]) => {
    const heading = owners.map((entry) => `${entry.name} ${entry.version} (${entry.license})`);
    return `${heading.join('\n')}\n${'='.repeat(72)}\n\n${text}\n`;
  });
  const intro = 'vendor/chevrotain.js contains code of the packages below, under these licenses.\n';
  return [intro, ...sections].join('\n\n');
}

/**
 * Writes through a temporary file and a rename, so that a test run that reads
 * the file during a build gets the old or the new file, never part of one.
 */
function writeAtomically(path, text) {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

// A tour of @gantry/daemon on the real engine. It pings the engine, runs a
// busybox container with its output streamed, and puts a small file tree into
// a container. It commits that container as gantry-engine-tour:latest with a
// CMD and a label, runs the image once, and removes every container it made.
import { fileURLToPath } from 'node:url';
import { connectDockerEngine, packFolder, withContainer } from '@gantry/daemon';

const IMAGE = 'gantry-engine-tour:latest';
const LABELS = { 'io.gantry.example': 'engine-tour' };
// tree/ contains tour/show.sh and tour/message.txt, which land in /tour.
const TREE = fileURLToPath(new URL('./tree', import.meta.url));

const controller = new AbortController();
process.once('SIGINT', () => controller.abort(new Error('interrupted')));
const { signal } = controller;

const engine = await connectDockerEngine({ signal });
await engine.system.ping({ signal });
const version = await engine.system.version({ signal });
console.log(`engine ${version.Version} at ${engine.address}, API ${engine.apiVersion}`);

console.log('\n1. run busybox, streaming its output');
const exit = await run('busybox:latest', [
  'sh',
  '-c',
  'echo hello from $(hostname); echo a warning >&2; uname -m',
]);
console.log(`   exit code ${exit.exitCode}`);

console.log(`\n2. put a file tree into a container and commit it as ${IMAGE}`);
// A previous tour's image would be left untagged by the new commit; remove it first.
if (await engine.images.exists(IMAGE, { signal })) {
  await engine.images.remove(IMAGE, { force: true, signal });
}
const imageId = await withContainer(
  engine.containers,
  containerOptions('busybox:latest', ['true']),
  async (container) => {
    await engine.archives.put(container.id, { path: '/', archive: packFolder(TREE), signal });
    const committed = await engine.containers.commit(container.id, {
      repository: 'gantry-engine-tour',
      tag: 'latest',
      comment: 'made by examples/engine-tour',
      config: {
        Cmd: ['sh', '/tour/show.sh'],
        WorkingDir: '/tour',
        Labels: { ...LABELS, 'org.opencontainers.image.title': 'gantry engine tour' },
      },
      signal,
    });
    return committed.imageId;
  },
);
const image = await engine.images.inspect(IMAGE, { signal });
console.log(`   ${IMAGE} is ${imageId.slice(7, 19)}, CMD ${JSON.stringify(image.Config?.Cmd)}`);

console.log(`\n3. run ${IMAGE} once`);
const second = await run(IMAGE);
console.log(`   exit code ${second.exitCode}`);

const left = await engine.containers.list({
  all: true,
  labels: ['io.gantry.example=engine-tour'],
  signal,
});
console.log(`\ncontainers left by the tour: ${left.length}`);

/** Creates, attaches, starts and waits; output goes to this process's stdout and stderr. */
async function run(image, cmd) {
  return withContainer(engine.containers, containerOptions(image, cmd), async (container) => {
    const output = await engine.containers.attach(container.id, { signal });
    await engine.containers.start(container.id, { signal });
    const printed = printOutput(output);
    const result = await engine.containers.wait(container.id, { signal });
    await printed;
    return result;
  });
}

function containerOptions(image, cmd) {
  const config =
    cmd === undefined
      ? { Image: image, Labels: LABELS }
      : { Image: image, Cmd: cmd, Labels: LABELS };
  return { config, signal };
}

async function printOutput(output) {
  for await (const chunk of output) {
    const prefix = chunk.stream === 'stdout' ? '   | ' : '   ! ';
    for (const line of chunk.data.toString('utf8').split('\n').filter(Boolean)) {
      console.log(prefix + line);
    }
  }
}

// Feeds a small build to the tty renderer over time, in a real terminal, for
// the tmux test in src/tty-terminal.test.ts. Step 2 prints a line every 50 ms
// and keeps running until a key is pressed; then the build finishes. Raw mode
// keeps the terminal from echoing the key into the view.
// The script stays alive afterwards so that the final screen can be read.
import { createTtyRenderer, shouldUseColor } from '../dist/index.js';

const renderer = createTtyRenderer({
  columns: process.stdout.columns,
  rows: process.stdout.rows,
  color: shouldUseColor(process.env, process.stdout.isTTY === true),
});

function emit(event) {
  process.stdout.write(renderer.render({ version: 1, time: Date.now(), ...event }));
}

function stepStart(step, instruction) {
  emit({
    type: 'step-start',
    step,
    steps: 3,
    stage: 0,
    stageStep: step,
    stageSteps: 3,
    instruction,
  });
}

function stepDone(step, durationMs) {
  emit({ type: 'step-done', step, imageId: `sha256:${String(step).repeat(64)}`, durationMs });
}

const started = Date.now();
emit({ type: 'build-start', contextSize: 2048, steps: 3, stages: 1 });
stepStart(1, 'FROM busybox:latest');
stepDone(1, 3);
stepStart(2, 'RUN ./chatty-test-script --print-lines');
emit({ type: 'step-cache-miss', step: 2, code: 'no-entry', reason: 'no cached image' });

let line = 0;
const printer = setInterval(() => {
  line++;
  const data = `output line ${line}\n`;
  emit({ type: 'output', step: 2, stream: 'stdout', data, encoding: 'utf-8' });
}, 50);
const ticker = setInterval(() => process.stdout.write(renderer.tick(Date.now())), 100);

process.stdin.setRawMode(true);
process.stdin.once('data', () => {
  clearInterval(printer);
  clearInterval(ticker);
  stepDone(2, Date.now() - started);
  stepStart(3, 'CMD ["sh"]');
  stepDone(3, 1);
  const imageId = `sha256:${'f'.repeat(64)}`;
  emit({ type: 'build-done', imageId, tags: ['demo:latest'], durationMs: Date.now() - started });
  setInterval(() => undefined, 60_000);
});

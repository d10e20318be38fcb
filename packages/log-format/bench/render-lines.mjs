// Renders one million output lines through the classic and plain renderers
// (and, for comparison, the tty renderer) and prints lines per second. Run with `pnpm --filter @gantry/log-format
// bench`, which builds the package first. The goal is 500,000 lines/s, so
// that a chatty RUN step is never slowed by its log.
import { createClassicRenderer, createPlainRenderer, createTtyRenderer } from '../dist/index.js';

const LINES = 1_000_000;
const START = Date.UTC(2026, 0, 1);

function outputEvent(step, index, linesPerEvent) {
  let data = '';
  for (let line = 0; line < linesPerEvent; line++) {
    data += `compiling module ${index + line} of the chatty build step, 42% done\n`;
  }
  return {
    version: 1,
    type: 'output',
    time: START,
    step,
    stream: 'stdout',
    data,
    encoding: 'utf-8',
  };
}

function stepStart() {
  return {
    version: 1,
    type: 'step-start',
    time: START,
    step: 1,
    steps: 1,
    stage: 0,
    stageStep: 1,
    stageSteps: 1,
    instruction: 'RUN ./chatty',
  };
}

/** Renders LINES lines in events of `linesPerEvent` lines; returns lines per second. */
function measure(createRenderer, linesPerEvent) {
  const renderer = createRenderer();
  const events = [];
  for (let index = 0; index < 1000; index++) {
    events.push(outputEvent(1, index * linesPerEvent, linesPerEvent));
  }
  let bytes = renderer.render(stepStart()).length;
  const eventCount = LINES / linesPerEvent;
  const started = process.hrtime.bigint();
  for (let index = 0; index < eventCount; index++) {
    const event = events[index % events.length];
    event.time = START + index;
    bytes += renderer.render(event).length;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { linesPerSecond: Math.round(LINES / seconds), seconds, bytes };
}

const renderers = {
  classic: createClassicRenderer,
  plain: createPlainRenderer,
  tty: () => createTtyRenderer({ columns: 120, color: true }),
};
console.log(`${LINES.toLocaleString('en')} output lines, node ${process.version}`);
for (const linesPerEvent of [1, 100]) {
  for (const [name, create] of Object.entries(renderers)) {
    measure(create, linesPerEvent); // warm-up run
    const result = measure(create, linesPerEvent);
    const rate = result.linesPerSecond.toLocaleString('en');
    const label = `${name}, ${linesPerEvent} line(s) per event:`.padEnd(34);
    console.log(`${label} ${rate.padStart(11)} lines/s (${result.seconds.toFixed(2)} s)`);
  }
}

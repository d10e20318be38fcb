import { describe, expect, test } from 'vitest';
import { createClassicRenderer } from './classic.js';
import { createEngineJsonRenderer } from './engine-json.js';
import type { BuildEvent } from './events.js';
import { createJsonRenderer } from './json.js';
import { createPlainRenderer } from './plain.js';
import { createQuietRenderer } from './quiet.js';
import type { Renderer } from './renderer.js';
import { expectGolden, readGolden } from './test-golden.js';
import { normalizeTranscript, showControlCharacters } from './test-normalize.js';
import { SEQUENCES } from './test-sequences.js';
import { createTtyRenderer } from './tty.js';

function renderAll(events: BuildEvent[], renderer: Renderer): string {
  return events.map((event) => renderer.render(event)).join('');
}

function sequence(name: string): BuildEvent[] {
  const events = SEQUENCES[name];
  if (events === undefined) {
    throw new Error(`no event sequence named ${name}`);
  }
  return events;
}

const NAMES = ['basic-cold', 'basic-cached', 'partial-output', 'exec-failure', 'onbuild-trigger'];

describe('classic renderer against engine transcripts', () => {
  test.each(NAMES)('%s', (name) => {
    const text = renderAll(sequence(name), createClassicRenderer());

    // The goldens are the engine's own output; they are never rewritten from this renderer.
    expect(normalizeTranscript(text)).toBe(readGolden(`classic/${name}.txt`));
  });
});

describe('engine-json renderer against the engine /build stream', () => {
  test.each(['basic-cold', 'partial-output'])('%s', (name) => {
    const text = renderAll(sequence(name), createEngineJsonRenderer());

    expect(normalizeTranscript(text)).toBe(readGolden(`engine-json/${name}.ndjson`));
  });
});

describe('plain renderer goldens', () => {
  test.each(NAMES)('%s', (name) => {
    expectGolden(renderAll(sequence(name), createPlainRenderer()), `plain/${name}.txt`);
  });
});

describe('tty renderer goldens', () => {
  test.each(NAMES)('%s in colour, 60 columns', (name) => {
    const text = renderAll(sequence(name), createTtyRenderer({ columns: 60, color: true }));

    expectGolden(showControlCharacters(text), `tty/${name}.txt`);
  });

  test('basic-cold without colour, 40 columns', () => {
    const text = renderAll(
      sequence('basic-cold'),
      createTtyRenderer({ columns: 40, color: false }),
    );

    expectGolden(showControlCharacters(text), 'tty/basic-cold-narrow.txt');
  });
});

describe('json renderer goldens', () => {
  test.each(NAMES)('%s', (name) => {
    expectGolden(renderAll(sequence(name), createJsonRenderer()), `json/${name}.ndjson`);
  });
});

describe('quiet renderer', () => {
  test('successful build prints the image id alone', () => {
    const text = renderAll(sequence('basic-cold'), createQuietRenderer());

    expect(normalizeTranscript(text)).toBe('sha256:<id 1 full>\n');
  });

  test('failed build prints the classic log, then the error line', () => {
    const text = renderAll(sequence('partial-output'), createQuietRenderer());
    const classic = renderAll(sequence('partial-output'), createClassicRenderer());

    expect(text).toBe(classic);
    expect(text).toMatch(/^Sending build context to Docker daemon /);
    expect(text.endsWith("The command '/bin/sh -c false' returned a non-zero code: 1\n")).toBe(
      true,
    );
  });
});

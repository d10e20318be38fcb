import { describe, expect, test } from 'vitest';
import { createClassicRenderer } from './classic.js';

/** Context size lines as the docker CLI 20.10 printed them for classic builds. */
const CASES: [number, string][] = [
  [201, 'Sending build context to Docker daemon     201B\r\r\n'],
  [2560, 'Sending build context to Docker daemon   2.56kB\r\r\n'],
  [2048, 'Sending build context to Docker daemon  2.048kB\r\r\n'],
  [45_056, 'Sending build context to Docker daemon  45.06kB\r\r\n'],
];

describe('classic context size line', () => {
  test.each(CASES)('%d bytes', (contextSize, line) => {
    const renderer = createClassicRenderer();
    const event = { version: 1 as const, time: 0, type: 'build-start' as const, contextSize };
    expect(renderer.render({ ...event, steps: 1, stages: 1 })).toBe(line);
  });
});

import { describe, expect, test } from 'vitest';
import type { BuildEvent, PullProgressEvent } from './events.js';
import { createRenderer, LOG_FORMATS } from './formats.js';

const IMAGE = '127.0.0.1:5000/gantry-cli-ref/layered:one';

type PullStatus = Omit<PullProgressEvent, 'version' | 'time' | 'type' | 'image' | 'step'>;

/** The statuses of one pull, as Engine 20.10 sent them during a classic build. */
const STATUSES: PullStatus[] = [
  { status: 'Pulling from gantry-cli-ref/layered', id: 'one' },
  { status: 'Already exists', id: '099697687fcf' },
  { status: 'Pulling fs layer', id: 'ba8aa3257cf0' },
  {
    status: 'Downloading',
    id: 'ba8aa3257cf0',
    current: 3678,
    total: 300283,
    progress: '[>                                                  ]  3.678kB/300.3kB',
  },
  { status: 'Download complete', id: 'ba8aa3257cf0' },
  {
    status: 'Extracting',
    id: 'ba8aa3257cf0',
    current: 300283,
    total: 300283,
    progress: '[==================================================>]  300.3kB/300.3kB',
  },
  { status: 'Pull complete', id: 'ba8aa3257cf0' },
  { status: 'Digest: sha256:35d887480818af938aaf24344e02156d3ceabdad7d4bb5ed95f63dfe56765399' },
  { status: `Status: Downloaded newer image for ${IMAGE}` },
];

function pullBuild(): BuildEvent[] {
  const base = { version: 1 as const, time: 1_000 };
  return [
    { ...base, type: 'build-start', steps: 1, stages: 1 },
    {
      ...base,
      type: 'step-start',
      step: 1,
      steps: 1,
      stage: 0,
      stageStep: 1,
      stageSteps: 1,
      instruction: `FROM ${IMAGE}`,
    },
    ...STATUSES.map(
      (status, index): BuildEvent => ({
        ...base,
        time: 1_000 + index * 200,
        type: 'pull-progress',
        step: 1,
        image: IMAGE,
        ...status,
      }),
    ),
    {
      ...base,
      time: 3_000,
      type: 'step-done',
      step: 1,
      imageId: `sha256:${'8d36'.repeat(16)}`,
      durationMs: 2_000,
    },
  ];
}

function render(format: string, options = {}, events = pullBuild()): string {
  const renderer = createRenderer(format, options);
  return events.map((event) => renderer.render(event)).join('');
}

describe('pull-progress events', () => {
  test('classic prints the docker CLI lines off a terminal', () => {
    expect(render('classic')).toBe(
      [
        `Step 1/1 : FROM ${IMAGE}`,
        'one: Pulling from gantry-cli-ref/layered',
        '099697687fcf: Already exists',
        'ba8aa3257cf0: Pulling fs layer',
        'ba8aa3257cf0: Download complete',
        'ba8aa3257cf0: Pull complete',
        'Digest: sha256:35d887480818af938aaf24344e02156d3ceabdad7d4bb5ed95f63dfe56765399',
        `Status: Downloaded newer image for ${IMAGE}`,
        ' ---> 8d368d368d36',
        '',
      ].join('\n'),
    );
  });

  test('engine-json sends the engine status messages', () => {
    const lines = render('engine-json').split('\r\n');
    expect(lines.slice(2, 11)).toEqual([
      '{"status":"Pulling from gantry-cli-ref/layered","id":"one"}',
      '{"status":"Already exists","progressDetail":{},"id":"099697687fcf"}',
      '{"status":"Pulling fs layer","progressDetail":{},"id":"ba8aa3257cf0"}',
      '{"status":"Downloading","progressDetail":{"current":3678,"total":300283},"progress":"[\\u003e                                                  ]  3.678kB/300.3kB","id":"ba8aa3257cf0"}',
      '{"status":"Download complete","progressDetail":{},"id":"ba8aa3257cf0"}',
      '{"status":"Extracting","progressDetail":{"current":300283,"total":300283},"progress":"[==================================================\\u003e]  300.3kB/300.3kB","id":"ba8aa3257cf0"}',
      '{"status":"Pull complete","progressDetail":{},"id":"ba8aa3257cf0"}',
      '{"status":"Digest: sha256:35d887480818af938aaf24344e02156d3ceabdad7d4bb5ed95f63dfe56765399"}',
      `{"status":"Status: Downloaded newer image for ${IMAGE}"}`,
    ]);
  });

  test('plain prints the statuses under the FROM vertex', () => {
    const text = render('plain');
    expect(text).toContain(`#1 [1/1] FROM ${IMAGE}\n#1 one: Pulling from gantry-cli-ref/layered\n`);
    expect(text).toContain('#1 ba8aa3257cf0: Pull complete\n');
    expect(text).not.toContain('Downloading');
  });

  test('tty shows the latest status of each layer', () => {
    const beforeDone = pullBuild().slice(0, -1);
    const text = render('tty', { isTerminal: true, columns: 120 }, beforeDone);
    expect(text).toContain('ba8aa3257cf0: Downloading [>');
    const lastDraw = text.slice(text.lastIndexOf('[+] Building'));
    expect(lastDraw).toContain('ba8aa3257cf0: Pull complete');
    expect(lastDraw).not.toContain('ba8aa3257cf0: Downloading');
  });

  test('json keeps every field', () => {
    const lines = render('json').trim().split('\n');
    expect(JSON.parse(lines[5] ?? '')).toMatchObject({ type: 'pull-progress', current: 3678 });
  });

  test('quiet prints nothing for a pull', () => {
    expect(render('quiet')).toBe('');
  });

  test.each(LOG_FORMATS)('%s renders a pull without a step', (format) => {
    const renderer = createRenderer(format);
    const event: BuildEvent = {
      version: 1,
      time: 0,
      type: 'pull-progress',
      image: IMAGE,
      status: 'Pull complete',
      id: 'ba8aa3257cf0',
    };
    expect(typeof renderer.render(event)).toBe('string');
  });
});

/**
 * Hand-written event sequences that match the fixture builds under
 * testdata/fixtures, as gantry's builder would emit them.
 */
import type { BuildEvent, CacheMissCode, ContainerPurpose } from './events.js';
import { RUN_ID_PLACEHOLDER } from './test-normalize.js';

/** Start time of every sequence, in milliseconds since the epoch. */
export const START_TIME = 1_767_225_600_000;

/** A chunk of output, written `delayMs` after the previous event. */
export interface OutputSpec {
  stream: 'stdout' | 'stderr';
  text: string;
  delayMs: number;
}

/** One step of a fake build. */
export interface StepSpec {
  instruction: string;
  /** The step reuses a cached image. */
  cached?: boolean;
  /** Reason the step missed the cache, omitted for FROM and cached steps. */
  miss?: { code: CacheMissCode; reason: string };
  /** ONBUILD triggers of the base image that run in this FROM step. */
  triggers?: { container: ContainerPurpose; output?: OutputSpec[] }[];
  /** The container the step runs in, if any. */
  container?: ContainerPurpose;
  /** Output chunks, each written `delayMs` after the previous event. */
  output?: OutputSpec[];
  durationMs: number;
  /** The step's command fails with this exit code and the build stops. */
  failure?: { command: string[]; exitCode: number };
}

/** A fake build: its context size, steps, warnings at the end, and tags. */
export interface BuildSpec {
  contextSize: number;
  steps: StepSpec[];
  warnings?: string[];
  tags: string[];
  /** Steps the build counts, when more than `steps` (a failure stops it early). */
  totalSteps?: number;
}

/** Returns a 64-hex-digit id whose first 12 digits differ for each `n`. */
export function fakeId(n: number): string {
  return `${n.toString(16).padStart(6, '0')}c0ffee`.repeat(6).slice(0, 64);
}

/** Generates the events of a fake build, with ids numbered in order of use. */
export function buildEvents(spec: BuildSpec): BuildEvent[] {
  const events: BuildEvent[] = [];
  let time = START_TIME;
  let nextId = 1;
  const emit = (event: Record<string, unknown>, delayMs = 1) => {
    time += delayMs;
    events.push({ version: 1, time, ...event } as BuildEvent);
  };
  const emitOutput = (step: number, output: OutputSpec[] = []) => {
    for (const { stream, text, delayMs } of output) {
      emit({ type: 'output', step, stream, data: text, encoding: 'utf-8' }, delayMs);
    }
  };
  const steps = spec.totalSteps ?? spec.steps.length;
  let imageId = '';
  emit({ type: 'build-start', contextSize: spec.contextSize, steps, stages: 1 }, 0);
  for (const [index, stepSpec] of spec.steps.entries()) {
    const step = index + 1;
    const start = time + 1;
    emit({
      type: 'step-start',
      step,
      steps,
      stage: 0,
      stageStep: step,
      stageSteps: steps,
      instruction: stepSpec.instruction,
    });
    if (stepSpec.triggers !== undefined) {
      emit({ type: 'step-triggers', step, count: stepSpec.triggers.length });
    }
    for (const trigger of stepSpec.triggers ?? []) {
      const containerId = fakeId(nextId++);
      emit({ type: 'container-created', step, containerId, purpose: trigger.container });
      emitOutput(step, trigger.output);
      emit({ type: 'container-removed', step, containerId, purpose: trigger.container });
    }
    if (stepSpec.cached) {
      emit({ type: 'step-cache-hit', step });
    } else if (stepSpec.miss !== undefined) {
      emit({ type: 'step-cache-miss', step, ...stepSpec.miss });
    }
    const containerId = fakeId(nextId);
    if (stepSpec.container !== undefined) {
      nextId++;
      emit({ type: 'container-created', step, containerId, purpose: stepSpec.container });
    }
    emitOutput(step, stepSpec.output);
    if (stepSpec.container !== undefined) {
      emit({ type: 'container-removed', step, containerId, purpose: stepSpec.container });
    }
    if (stepSpec.failure !== undefined) {
      const message = `RUN failed with exit code ${stepSpec.failure.exitCode}`;
      emit({ type: 'build-error', message, step, ...stepSpec.failure }, 5);
      return events;
    }
    const end = start + stepSpec.durationMs;
    time = Math.max(time, end - 1);
    imageId = `sha256:${fakeId(nextId++)}`;
    emit({ type: 'step-done', step, imageId, durationMs: end - start });
  }
  for (const message of spec.warnings ?? []) {
    emit({ type: 'warning', message, rule: 'UnusedBuildArg' });
  }
  emit({ type: 'build-done', imageId, tags: spec.tags, durationMs: time - START_TIME }, 20);
  return events;
}

const miss = { code: 'cache-disabled', reason: '--no-cache is set' } as const;

const BASIC_TAGS = [
  'gantry-log-format-test/basic:latest',
  'gantry-log-format-test/basic:v1',
  'localhost:5000/gantry-log-format-test/basic',
];

function basicSteps(cached: boolean): StepSpec[] {
  const changed = (step: StepSpec): StepSpec =>
    cached ? { instruction: step.instruction, cached: true, durationMs: 2 } : { ...step, miss };
  return [
    { instruction: 'FROM busybox:latest', durationMs: 3 },
    changed({
      instruction: 'RUN echo hello from gantry log-format && sleep 0.2 && echo oops on stderr >&2',
      container: 'run',
      output: [
        { stream: 'stdout', text: 'hello from gantry log-format\n', delayMs: 171 },
        { stream: 'stderr', text: 'oops on stderr\n', delayMs: 201 },
      ],
      durationMs: 412,
    }),
    changed({ instruction: 'COPY hello.txt /srv/hello.txt', container: 'copy', durationMs: 35 }),
    changed({ instruction: 'WORKDIR /app', container: 'commit', durationMs: 48 }),
    changed({ instruction: 'EXPOSE 80:8080', container: 'commit', durationMs: 51 }),
    changed({
      instruction: 'ENTRYPOINT ["cat", "/srv/hello.txt"]',
      container: 'commit',
      durationMs: 50,
    }),
    changed({
      instruction: 'ONBUILD RUN echo built from a gantry log-format fixture',
      container: 'commit',
      durationMs: 49,
    }),
    changed({
      instruction: `LABEL io.gantry.test=${RUN_ID_PLACEHOLDER}`,
      container: 'commit',
      durationMs: 47,
    }),
  ];
}

const UNUSED_ARG = 'One or more build-args [UNUSED] were not consumed';

/** The fixture builds, by golden file name. */
export const SEQUENCES: Record<string, BuildEvent[]> = {
  'basic-cold': buildEvents({
    contextSize: 3072,
    steps: basicSteps(false),
    warnings: [UNUSED_ARG],
    tags: BASIC_TAGS,
  }),
  'basic-cached': buildEvents({
    contextSize: 3072,
    steps: basicSteps(true),
    warnings: [UNUSED_ARG],
    tags: BASIC_TAGS,
  }),
  'partial-output': buildEvents({
    contextSize: 2048,
    steps: [
      { instruction: 'FROM busybox:latest', durationMs: 2 },
      {
        instruction:
          "RUN printf 'gantry log-format: %s\\n'     'one line from a continued instruction'",
        miss,
        container: 'run',
        output: [
          {
            stream: 'stdout',
            text: 'gantry log-format: one line from a continued instruction\n',
            delayMs: 166,
          },
        ],
        durationMs: 230,
      },
      {
        instruction: "RUN printf 'partial line'",
        miss,
        container: 'run',
        output: [{ stream: 'stdout', text: 'partial line', delayMs: 324 }],
        durationMs: 351,
      },
      {
        instruction: 'RUN false',
        miss,
        container: 'run',
        durationMs: 200,
        failure: { command: ['/bin/sh', '-c', 'false'], exitCode: 1 },
      },
    ],
    tags: ['gantry-log-format-test/partial-output:latest'],
    totalSteps: 5,
  }),
  'onbuild-trigger': buildEvents({
    contextSize: 3072,
    steps: [
      {
        instruction: 'FROM gantry-log-format-test/onbuild-base:latest',
        triggers: [
          {
            container: 'run',
            output: [
              { stream: 'stdout', text: 'gantry log-format trigger output\n', delayMs: 150 },
            ],
          },
          { container: 'commit' },
        ],
        durationMs: 420,
      },
      {
        instruction: 'RUN echo child step',
        miss,
        container: 'run',
        output: [{ stream: 'stdout', text: 'child step\n', delayMs: 160 }],
        durationMs: 230,
      },
      {
        instruction: `LABEL io.gantry.test=${RUN_ID_PLACEHOLDER}`,
        miss,
        container: 'commit',
        durationMs: 45,
      },
    ],
    tags: ['gantry-log-format-test/onbuild-child:latest'],
  }),
  'exec-failure': buildEvents({
    contextSize: 2048,
    steps: [
      { instruction: 'FROM busybox:latest', durationMs: 2 },
      {
        instruction: 'RUN ["/bin/sh", "-c", "echo gantry log-format fails >&2; exit 3"]',
        miss,
        container: 'run',
        output: [{ stream: 'stderr', text: 'gantry log-format fails\n', delayMs: 221 }],
        durationMs: 260,
        failure: {
          command: ['/bin/sh', '-c', 'echo gantry log-format fails >&2; exit 3'],
          exitCode: 3,
        },
      },
    ],
    tags: ['gantry-log-format-test/exec-failure:latest'],
    totalSteps: 3,
  }),
};

import { buildkitErrorMessage } from './buildkit-error.js';
import type {
  BuildErrorEvent,
  BuildEvent,
  OutputEvent,
  PullProgressEvent,
  StepStartEvent,
} from './events.js';
import { LineBuffer } from './line-buffer.js';
import { decodeOutputText } from './output-data.js';
import { createPlainRenderer } from './plain.js';
import type { LiveRenderer } from './renderer.js';
import { alignRight, COLORS, formatSeconds, sanitizeLine, truncate } from './tty-text.js';

/** Options of the tty renderer. */
export interface TtyRendererOptions {
  /**
   * Terminal width in columns; every line drawn is shorter. Default 80. A
   * width of 0 or less, which a terminal of unknown size reports, gives the
   * plain output of {@link createPlainRenderer}.
   */
  columns?: number;
  /** Terminal height in rows; the live view keeps below it. No limit by default or for 0 or less. */
  rows?: number;
  /** Whether to colour the view; see {@link shouldUseColor}. Default true. */
  color?: boolean;
  /** Output lines shown under each running step. Default 6. */
  logLines?: number;
  /** Minimum time between redraws caused by output alone, in milliseconds. Default 100. */
  redrawIntervalMs?: number;
}

type StepStatus = 'running' | 'cached' | 'done' | 'error' | 'canceled';

const STATUS_LABELS: Record<StepStatus, string> = {
  running: '',
  cached: 'CACHED ',
  done: '',
  error: 'ERROR ',
  canceled: 'CANCELED ',
};

interface LiveStep {
  label: string;
  start: number;
  status: StepStatus;
  missReason?: string;
  lines: string[];
  stdout: LineBuffer;
  stderr: LineBuffer;
}

/**
 * Creates BuildKit's live terminal view: a `[+] Building 1.2s (3/8)` header
 * and each running step with its timer and its last few output lines, redrawn
 * in place with cursor movements. A finished step is folded to one line
 * (`=> [2/8] RUN make  1.2s`) above the live part and stays in the
 * scrollback. Call `tick` about every 100 ms so timers move between events.
 *
 * Widths count one column per code point, so wide characters (CJK, emoji)
 * can make a line wrap.
 */
export function createTtyRenderer(options: TtyRendererOptions = {}): LiveRenderer {
  if (options.columns !== undefined && options.columns <= 0) {
    return plainView();
  }
  return new TtyRenderer(options);
}

/**
 * Returns BuildKit's plain output for a terminal that reports 0 columns, as
 * some CI runners' pseudo-terminals do. Plain output needs no width.
 */
function plainView(): LiveRenderer {
  const plain = createPlainRenderer();
  return { render: (event) => plain.render(event), tick: () => '' };
}

class TtyRenderer implements LiveRenderer {
  readonly #width: number;
  readonly #maxRows: number;
  readonly #color: boolean;
  readonly #logLines: number;
  readonly #redrawInterval: number;
  #running = new Map<number, LiveStep>();
  #buildStart: number | undefined;
  #totalSteps = 0;
  #finishedSteps = 0;
  #drawnRows = 0;
  #lastDraw = Number.NEGATIVE_INFINITY;
  #ended = false;

  constructor(options: TtyRendererOptions) {
    this.#width = Math.max(1, (options.columns ?? 80) - 1);
    const rows =
      options.rows === undefined || options.rows <= 0 ? Number.POSITIVE_INFINITY : options.rows;
    this.#maxRows = Math.max(2, rows - 1);
    this.#color = options.color ?? true;
    this.#logLines = Math.max(0, options.logLines ?? 6);
    this.#redrawInterval = options.redrawIntervalMs ?? 100;
  }

  render(event: BuildEvent): string {
    if (this.#ended) {
      return '';
    }
    this.#buildStart ??= event.time;
    switch (event.type) {
      case 'build-start':
        this.#totalSteps = event.steps;
        return this.#draw('', event.time);
      case 'step-start':
        this.#startStep(event);
        return this.#draw('', event.time);
      case 'step-cache-miss':
        return this.#updateStep(event.step, event.time, (step) => {
          step.missReason = event.reason;
        });
      case 'step-cache-hit':
        return this.#updateStep(event.step, event.time, (step) => {
          step.status = 'cached';
        });
      case 'output':
        return this.#output(event);
      case 'pull-progress':
        return this.#pull(event);
      case 'step-done':
        return this.#draw(this.#finishStep(event.step, event.time), event.time);
      case 'warning':
        // A warning is not cut to the width either. It stays above the live
        // rows, and only those are redrawn.
        return this.#draw(`${this.#paint('warning', `WARN: ${event.message}`)}\n`, event.time);
      case 'build-done':
        return this.#end('', event.time);
      case 'build-error':
        return this.#end(this.#errorLines(event), event.time);
      default:
        return '';
    }
  }

  tick(time: number): string {
    if (this.#ended || this.#buildStart === undefined) {
      return '';
    }
    return this.#draw('', time);
  }

  #startStep(event: StepStartEvent): void {
    const stage = event.stageName === undefined ? '' : `${event.stageName} `;
    this.#running.set(event.step, {
      label: `[${stage}${event.stageStep}/${event.stageSteps}] ${event.instruction}`,
      start: event.time,
      status: 'running',
      lines: [],
      stdout: new LineBuffer(),
      stderr: new LineBuffer(),
    });
  }

  #updateStep(stepNumber: number, time: number, update: (step: LiveStep) => void): string {
    const step = this.#running.get(stepNumber);
    if (step === undefined) {
      return '';
    }
    update(step);
    return this.#draw('', time);
  }

  #output(event: OutputEvent): string {
    const step = this.#running.get(event.step);
    if (step === undefined) {
      return '';
    }
    const buffer = event.stream === 'stdout' ? step.stdout : step.stderr;
    buffer.push(decodeOutputText(event.data, event.encoding), event.time, (line) => {
      this.#keepLine(step, line);
    });
    return event.time - this.#lastDraw >= this.#redrawInterval ? this.#draw('', event.time) : '';
  }

  /**
   * Shows a pull's status as a log line of its step. A newer status of the
   * same layer replaces the line, so progress bars move in place.
   */
  #pull(event: PullProgressEvent): string {
    const step = event.step === undefined ? undefined : this.#running.get(event.step);
    if (step === undefined) {
      return '';
    }
    const prefix = event.id === undefined ? '' : `${event.id}: `;
    const progress = event.progress === undefined ? '' : ` ${event.progress}`;
    const line = `${prefix}${event.status}${progress}`;
    const last = step.lines.length - 1;
    if (prefix !== '' && step.lines[last]?.startsWith(prefix) === true) {
      step.lines[last] = line;
    } else {
      this.#keepLine(step, line);
    }
    return event.time - this.#lastDraw >= this.#redrawInterval ? this.#draw('', event.time) : '';
  }

  #keepLine(step: LiveStep, line: string): void {
    step.lines.push(line);
    if (step.lines.length > this.#logLines) {
      step.lines.shift();
    }
  }

  /** Removes a step from the live part and returns its folded line. */
  #finishStep(stepNumber: number, time: number): string {
    const step = this.#running.get(stepNumber);
    if (step === undefined) {
      return '';
    }
    this.#running.delete(stepNumber);
    this.#finishedSteps++;
    if (step.status === 'running') {
      step.status = 'done';
    }
    return `${this.#stepLine(step, time)}\n`;
  }

  #errorLines(event: BuildErrorEvent): string {
    const step = event.step === undefined ? undefined : this.#running.get(event.step);
    let text = '';
    if (step !== undefined) {
      const flush = (line: string) => this.#keepLine(step, line);
      step.stdout.flush(flush);
      step.stderr.flush(flush);
      step.status = 'error';
      text += `${this.#stepLine(step, event.time)}\n`;
      text += step.lines.map((line) => `${this.#logLine(line)}\n`).join('');
      this.#running.delete(event.step ?? 0);
    }
    text += this.#cancelRunning(event.time);
    // The error line is not cut to the width. Nothing is redrawn after it, so
    // a wrapped line leaves no stale row behind.
    return `${text}${this.#paint('error', `ERROR: ${buildkitErrorMessage(event)}`)}\n`;
  }

  /**
   * Folds the steps still running when the build failed (another stage's
   * error, or Ctrl-C) as CANCELED, as BuildKit does. They are not counted
   * as finished.
   */
  #cancelRunning(time: number): string {
    let text = '';
    for (const step of this.#running.values()) {
      step.status = 'canceled';
      text += `${this.#stepLine(step, time)}\n`;
    }
    this.#running.clear();
    return text;
  }

  /** Folds what is still running and draws the final header, after which nothing is drawn. */
  #end(permanent: string, time: number): string {
    let text = permanent;
    for (const stepNumber of [...this.#running.keys()]) {
      text += this.#finishStep(stepNumber, time);
    }
    const erase = this.#erase();
    this.#ended = true;
    return `${erase}${text}${this.#header(time, ' FINISHED')}\n`;
  }

  #draw(permanent: string, time: number): string {
    const rows = this.#liveRows(time);
    const text = `${this.#erase()}${permanent}${rows.join('\n')}\n`;
    this.#drawnRows = rows.length;
    this.#lastDraw = time;
    return text;
  }

  #erase(): string {
    const rows = this.#drawnRows;
    this.#drawnRows = 0;
    return rows === 0 ? '' : `\u001b[${rows}A\r\u001b[J`;
  }

  #liveRows(time: number): string[] {
    const rows = [this.#header(time, '')];
    for (const step of this.#running.values()) {
      rows.push(this.#stepLine(step, time));
      for (const line of step.lines) {
        rows.push(this.#logLine(line));
      }
    }
    return rows.length > this.#maxRows ? rows.slice(0, this.#maxRows) : rows;
  }

  #header(time: number, suffix: string): string {
    const elapsed = formatSeconds(time - (this.#buildStart ?? time));
    const count = `(${this.#finishedSteps}/${this.#totalSteps})`;
    return this.#fit(`[+] Building ${elapsed} ${count}${suffix}`);
  }

  #stepLine(step: LiveStep, time: number): string {
    const status = STATUS_LABELS[step.status];
    const miss = step.missReason === undefined ? '' : ` (cache miss: ${step.missReason})`;
    const line = alignRight(
      ` => ${status}${step.label}${miss}`,
      formatSeconds(time - step.start),
      this.#width,
    );
    if (step.status === 'error' || step.status === 'canceled') {
      return this.#paint(step.status, line);
    }
    return step.status === 'running' ? line : this.#paint('done', line);
  }

  #logLine(line: string): string {
    return this.#paint('log', this.#fit(` => => # ${sanitizeLine(line)}`));
  }

  #fit(text: string): string {
    return truncate(text, this.#width);
  }

  #paint(color: keyof typeof COLORS, text: string): string {
    return this.#color ? `${COLORS[color]}${text}${COLORS.reset}` : text;
  }
}

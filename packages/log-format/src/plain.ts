import { buildkitErrorMessage } from './buildkit-error.js';
import type {
  BuildDoneEvent,
  BuildErrorEvent,
  BuildEvent,
  OutputEvent,
  PullProgressEvent,
  StepStartEvent,
  WarningEvent,
} from './events.js';
import { qualifiedReference } from './image-ref.js';
import { LineBuffer } from './line-buffer.js';
import { decodeOutputText } from './output-data.js';
import { classicPullLine } from './pull-messages.js';
import type { Renderer } from './renderer.js';

interface Vertex {
  number: number;
  header: string;
  start: number;
  cached: boolean;
  /** Whether the step ended: done, cached, failed or canceled. */
  ended: boolean;
  stdout: LineBuffer;
  stderr: LineBuffer;
}

/**
 * Creates a renderer for BuildKit's plain progress output
 * (`--progress=plain`): numbered vertices (`#5 [2/8] RUN ...`), output lines
 * with seconds since the step started (`#5 0.213 hello`), `#5 CACHED`,
 * `#5 DONE 0.5s`, `#5 ERROR: ...`, `#5 CANCELED`, a blank line between
 * vertices, and an `exporting to image` vertex at the end.
 *
 * Vertices are gantry's steps, numbered from 1 in the order they start, and
 * `[i/n]` counts every instruction of the stage where BuildKit counts only
 * those that change the filesystem. A step that misses the cache reports the
 * reason (`#5 cache miss: --no-cache is set`), which BuildKit does not.
 */
export function createPlainRenderer(): Renderer {
  return new PlainRenderer();
}

class PlainRenderer implements Renderer {
  #vertices = new Map<number, Vertex>();
  #nextVertex = 1;
  #current: Vertex | undefined;
  #printed = false;
  #multiStage = false;
  #lastTime = 0;

  render(event: BuildEvent): string {
    const lastTime = this.#lastTime;
    this.#lastTime = event.time;
    switch (event.type) {
      case 'build-start':
        this.#multiStage = event.stages > 1;
        return '';
      case 'step-start':
        return this.#startVertex(event);
      case 'step-cache-hit':
        return this.#vertexLine(event.step, (vertex) => {
          vertex.cached = true;
          return 'CACHED';
        });
      case 'step-triggers':
        return this.#vertexLine(event.step, () => `executing ${event.count} ONBUILD triggers`);
      case 'step-cache-miss':
        return this.#vertexLine(event.step, () => `cache miss: ${event.reason}`);
      case 'output':
        return this.#output(event);
      case 'step-done':
        return this.#stepDone(event.step, event.durationMs);
      case 'warning':
        return this.#warning(event);
      case 'pull-progress':
        return this.#pull(event);
      case 'build-done':
        return this.#exportVertex(event, event.time - lastTime);
      case 'build-error':
        return this.#error(event);
      default:
        return '';
    }
  }

  #startVertex(event: StepStartEvent): string {
    const stage = this.#multiStage ? `${event.stageName ?? `stage-${event.stage}`} ` : '';
    const label = `[${stage}${event.stageStep}/${event.stageSteps}]`;
    const vertex: Vertex = {
      number: this.#nextVertex++,
      header: `${label} ${event.instruction}`,
      start: event.time,
      cached: false,
      ended: false,
      stdout: new LineBuffer(),
      stderr: new LineBuffer(),
    };
    this.#vertices.set(event.step, vertex);
    const separator = this.#printed ? '\n' : '';
    this.#printed = true;
    this.#current = vertex;
    return `${separator}#${vertex.number} ${vertex.header}\n`;
  }

  /** Switches to a vertex, repeating its header when another vertex printed since. */
  #switchTo(vertex: Vertex): string {
    if (this.#current === vertex) {
      return '';
    }
    this.#current = vertex;
    return `\n#${vertex.number} ${vertex.header}\n`;
  }

  #vertexLine(step: number, line: (vertex: Vertex) => string): string {
    const vertex = this.#vertices.get(step);
    if (vertex === undefined) {
      return '';
    }
    return `${this.#switchTo(vertex)}#${vertex.number} ${line(vertex)}\n`;
  }

  #output(event: OutputEvent): string {
    const vertex = this.#vertices.get(event.step);
    if (vertex === undefined) {
      return '';
    }
    let text = this.#switchTo(vertex);
    const buffer = event.stream === 'stdout' ? vertex.stdout : vertex.stderr;
    // Lines of one chunk share a time, so the prefix is formatted once per time.
    let prefixTime = Number.NaN;
    let prefix = '';
    buffer.push(decodeOutputText(event.data, event.encoding), event.time, (line, time) => {
      if (time !== prefixTime) {
        prefixTime = time;
        prefix = `#${vertex.number} ${seconds(time - vertex.start, 3)} `;
      }
      text += `${prefix}${line}\n`;
    });
    return text;
  }

  #flushOutput(vertex: Vertex): string {
    let text = '';
    const onLine = (line: string, time: number) => {
      text += `#${vertex.number} ${seconds(time - vertex.start, 3)} ${line}\n`;
    };
    vertex.stdout.flush(onLine);
    vertex.stderr.flush(onLine);
    return text;
  }

  #stepDone(step: number, durationMs: number): string {
    const vertex = this.#vertices.get(step);
    if (vertex === undefined) {
      return '';
    }
    vertex.ended = true;
    const text = this.#switchTo(vertex) + this.#flushOutput(vertex);
    return vertex.cached ? text : `${text}#${vertex.number} DONE ${seconds(durationMs, 1)}s\n`;
  }

  #warning(event: WarningEvent): string {
    const rule = event.rule === undefined ? '' : `${event.rule}: `;
    const line =
      event.range === undefined ? '' : lineSuffix(event.message, event.range.start.line + 1);
    const message = `WARN: ${rule}${event.message}${line}`;
    if (event.step !== undefined && this.#vertices.has(event.step)) {
      return this.#vertexLine(event.step, () => message);
    }
    return `${this.#endVertex()}${message}\n`;
  }

  /** Shows a pull's statuses under the FROM step, leaving out the progress bars as the docker CLI does off a terminal. */
  #pull(event: PullProgressEvent): string {
    const line = classicPullLine(event).trimEnd();
    if (line === '') return '';
    if (event.step !== undefined && this.#vertices.has(event.step)) {
      return this.#vertexLine(event.step, () => line);
    }
    return `${this.#endVertex()}${line}\n`;
  }

  /**
   * Ends the steps still running when the build failed (another stage's
   * error, or Ctrl-C) with `#5 CANCELED`, as BuildKit prints them.
   */
  #cancelRunning(): string {
    let text = '';
    for (const vertex of this.#vertices.values()) {
      if (vertex.ended) continue;
      vertex.ended = true;
      text += `${this.#switchTo(vertex)}${this.#flushOutput(vertex)}#${vertex.number} CANCELED\n`;
    }
    return text;
  }

  #endVertex(): string {
    this.#current = undefined;
    return this.#printed ? '\n' : '';
  }

  #exportVertex(event: BuildDoneEvent, sinceLastEvent: number): string {
    const number = this.#nextVertex++;
    let text = `${this.#endVertex()}#${number} exporting to image\n`;
    this.#printed = true;
    text += `#${number} writing image ${event.imageId} done\n`;
    for (const tag of event.tags) {
      text += `#${number} naming to ${qualifiedReference(tag)} done\n`;
    }
    return `${text}#${number} DONE ${seconds(sinceLastEvent, 1)}s\n`;
  }

  #error(event: BuildErrorEvent): string {
    const message = buildkitErrorMessage(event);
    const vertex = event.step === undefined ? undefined : this.#vertices.get(event.step);
    if (vertex !== undefined) vertex.ended = true;
    const canceled = this.#cancelRunning();
    if (vertex === undefined) {
      return `${canceled}${this.#endVertex()}${message}\n`;
    }
    let text = canceled + this.#switchTo(vertex) + this.#flushOutput(vertex);
    text += `#${vertex.number} ERROR: ${message}\n`;
    text += `------\n > ${vertex.header}:\n------\n`;
    return `${text}${message}\n`;
  }
}

function seconds(milliseconds: number, digits: number): string {
  return (Math.max(0, milliseconds) / 1000).toFixed(digits);
}

/**
 * Returns ` (line N)` for a warning, or nothing when the message names line N
 * already, as the Dockerfile parser's messages do (`... (line 3, column 1)`).
 */
function lineSuffix(message: string, line: number): string {
  const named = message.includes(`(line ${line},`) || message.endsWith(`(line ${line})`);
  return named ? '' : ` (line ${line})`;
}

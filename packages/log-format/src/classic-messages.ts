import type { BuildErrorEvent, BuildEvent, PullProgressEvent, WarningEvent } from './events.js';
import { withDefaultTag } from './image-ref.js';
import { decodeOutputText } from './output-data.js';

/** Colour codes the engine wraps around a step's stderr and its parser warnings in classic builds. */
const RED = '\u001b[91m';
const COLOR_RESET = '\u001b[0m';

/** Messages the engine's classic builder sends for one event. */
export interface ClassicMessages {
  /** Texts of `{"stream": ...}` messages, in order. */
  streams: string[];
  /** Image id for an `{"aux": {"ID": ...}}` message sent after the streams. */
  auxImageId?: string;
  /** Texts sent after the aux message. */
  streamsAfterAux?: string[];
  /** A pull's status message, sent after the streams. */
  pullStatus?: PullProgressEvent;
}

/**
 * Tracks a build to produce the stream messages of Docker Engine's classic
 * builder (Engine 20.10). The classic and engine-json renderers share it so
 * that both say exactly the same thing.
 * @internal
 */
export class ClassicTranscript {
  #finalStep = 0;
  /** Whether the aux message of the final image was sent. */
  #auxSent = false;
  /** Steps that end their stage, read from the `step-start` events. */
  #stageEnds = new Set<number>();
  /** Instructions with an empty continuation line, held until the next other event. */
  #emptyContinuations: string[] = [];

  /**
   * Returns the messages the engine sends for an event. Empty continuation
   * warnings are held and sent as the engine's one block before the next
   * other event's messages.
   */
  messages(event: BuildEvent): ClassicMessages {
    if (isEmptyContinuationWarning(event)) {
      this.#emptyContinuations.push(event.instruction);
      return { streams: [] };
    }
    const messages = this.#messagesOf(event);
    if (this.#emptyContinuations.length > 0) {
      messages.streams.unshift(emptyContinuationBlock(this.#emptyContinuations));
      this.#emptyContinuations = [];
    }
    return messages;
  }

  #messagesOf(event: BuildEvent): ClassicMessages {
    switch (event.type) {
      case 'build-start':
        this.#finalStep = event.steps;
        return { streams: [] };
      case 'step-start':
        if (event.stageStep === event.stageSteps) this.#stageEnds.add(event.step);
        return { streams: [`Step ${event.step}/${event.steps} : ${event.instruction}`, '\n'] };
      case 'step-triggers':
        return { streams: [triggersLine(event.count)] };
      case 'step-cache-hit':
        return { streams: [' ---> Using cache\n'] };
      case 'container-created':
        return containerMessage(event.purpose, ` ---> Running in ${shortId(event.containerId)}\n`);
      case 'output':
        return {
          streams: [classicOutputText(event.stream, decodeOutputText(event.data, event.encoding))],
        };
      case 'container-removed':
        return containerMessage(
          event.purpose,
          `Removing intermediate container ${shortId(event.containerId)}\n`,
        );
      case 'step-done':
        return this.#stepDone(event.step, event.imageId);
      case 'warning':
        return { streams: [classicWarningLine(event)] };
      case 'pull-progress':
        return { streams: [], pullStatus: event };
      case 'build-done':
        return this.#buildDone(event.imageId, event.tags);
      default:
        return { streams: [] };
    }
  }

  /**
   * Words a step's result. After the last step of each stage, Engine 20.10
   * sends the stage's image id in an aux message, before the next stage's
   * first step, so a multi-stage build sends one aux message per stage.
   */
  #stepDone(step: number, imageId: string): ClassicMessages {
    const streams = [` ---> ${shortId(imageId)}\n`];
    const isFinal = step === this.#finalStep;
    if (!isFinal && !this.#stageEnds.has(step)) return { streams };
    if (isFinal) {
      if (this.#auxSent) return { streams };
      this.#auxSent = true;
    }
    return { streams, auxImageId: imageId };
  }

  #buildDone(imageId: string, tags: readonly string[]): ClassicMessages {
    const done = [`Successfully built ${shortId(imageId)}\n`];
    for (const tag of tags) {
      done.push(`Successfully tagged ${withDefaultTag(tag)}\n`);
    }
    if (this.#auxSent) {
      return { streams: done };
    }
    this.#auxSent = true;
    return { streams: [], auxImageId: imageId, streamsAfterAux: done };
  }
}

/**
 * Words a build error as the classic builder does; a failing RUN reads
 * `The command '/bin/sh -c false' returned a non-zero code: 1`, with the
 * command's arguments joined by spaces for the exec form too.
 */
export function classicErrorMessage(event: BuildErrorEvent): string {
  if (event.command !== undefined && event.exitCode !== undefined) {
    return `The command '${event.command.join(' ')}' returned a non-zero code: ${event.exitCode}`;
  }
  return event.message;
}

/**
 * Renders the engine's block of parser warnings (Engine 20.10, classic
 * builder): one line pair per instruction with an empty continuation line,
 * then a closing line, all in red.
 */
function emptyContinuationBlock(instructions: readonly string[]): string {
  const found = instructions.map(
    (instruction) => `[WARNING]: Empty continuation line found in:\n    ${instruction}\n`,
  );
  const closing = '[WARNING]: Empty continuation lines will become errors in a future release.\n';
  return `${RED}${found.join('')}${closing}${COLOR_RESET}`;
}

function isEmptyContinuationWarning(
  event: BuildEvent,
): event is WarningEvent & { instruction: string } {
  return (
    event.type === 'warning' &&
    event.rule === 'NoEmptyContinuation' &&
    event.instruction !== undefined
  );
}

/**
 * Words a warning line as the engine does. A HEALTHCHECK that replaces
 * another is a `Note:` line under its step line; anything else is `[Warning]`.
 */
function classicWarningLine(event: WarningEvent): string {
  if (event.rule === 'HealthcheckOverride') return `Note: ${event.message}\n`;
  return `[Warning] ${event.message}\n`;
}

/** Returns the 12-character short form of an image or container id. */
export function shortId(id: string): string {
  const colon = id.indexOf(':');
  return id.slice(colon + 1, colon + 13);
}

function triggersLine(count: number): string {
  return `# Executing ${count} build trigger${count === 1 ? '' : 's'}\n`;
}

/** Returns output as the engine streams it, stderr inside red colour codes. */
export function classicOutputText(stream: 'stdout' | 'stderr', text: string): string {
  return stream === 'stderr' ? RED + text + COLOR_RESET : text;
}

function containerMessage(purpose: string, text: string): ClassicMessages {
  return { streams: purpose === 'copy' ? [] : [text] };
}

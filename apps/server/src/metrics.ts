/** The server's Prometheus metrics, in a registry of its own. */
import type { ServerResponse } from 'node:http';
import type { BuildEvent } from '@gantry/log-format';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { BuildQueue } from './build-queue.js';

/** Outcome label of a finished build. */
export type BuildOutcome = 'succeeded' | 'failed' | 'cancelled';

/** Counters, gauges and histograms of builds and requests. */
export class ServerMetrics {
  readonly registry = new Registry();
  readonly #builds: Counter<'outcome'>;
  readonly #steps: Counter<'cache'>;
  readonly #buildSeconds: Histogram<'outcome'>;
  readonly #stepSeconds: Histogram;
  readonly #requests: Counter<'route' | 'status'>;
  readonly #slowReaders: Counter<'route'>;
  /** Open streaming responses, whose write buffers the stream gauge adds up. */
  readonly #streams = new Set<ServerResponse>();

  constructor(queue: BuildQueue) {
    const registers = [this.registry];
    this.#builds = new Counter({
      name: 'gantry_builds_total',
      help: 'Finished builds by outcome.',
      labelNames: ['outcome'],
      registers,
    });
    this.#steps = new Counter({
      name: 'gantry_build_steps_total',
      help: 'Build steps after FROM by cache result (hit or miss).',
      labelNames: ['cache'],
      registers,
    });
    this.#buildSeconds = new Histogram({
      name: 'gantry_build_duration_seconds',
      help: 'Running time of finished builds, from the run slot to the end.',
      labelNames: ['outcome'],
      buckets: [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800],
      registers,
    });
    this.#stepSeconds = new Histogram({
      name: 'gantry_build_step_duration_seconds',
      help: 'Time of finished build steps.',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
      registers,
    });
    this.#requests = new Counter({
      name: 'gantry_http_requests_total',
      help: 'HTTP requests by route and status code.',
      labelNames: ['route', 'status'],
      registers,
    });
    this.#slowReaders = new Counter({
      name: 'gantry_slow_readers_disconnected_total',
      help: 'Streams closed because their client fell behind the kept output of the build.',
      labelNames: ['route'],
      registers,
    });
    this.#addQueueGauges(queue);
    this.#addStreamGauge();
  }

  #addStreamGauge(): void {
    const streams = this.#streams;
    new Gauge({
      name: 'gantry_stream_buffered_bytes',
      help:
        'Bytes that open event and build log streams hold in their write buffers, ' +
        'not yet passed to the kernel.',
      registers: [this.registry],
      collect() {
        let bytes = 0;
        for (const res of streams) bytes += res.writableLength;
        this.set(bytes);
      },
    });
  }

  #addQueueGauges(queue: BuildQueue): void {
    const registers = [this.registry];
    new Gauge({
      name: 'gantry_builds_running',
      help: 'Builds holding a run slot.',
      registers,
      collect() {
        this.set(queue.running);
      },
    });
    new Gauge({
      name: 'gantry_builds_waiting',
      help: 'Admitted builds that do not run yet.',
      registers,
      collect() {
        this.set(queue.waiting);
      },
    });
  }

  /** Counts a build event's cache result and step time. */
  observeEvent(event: BuildEvent): void {
    if (event.type === 'step-cache-hit') this.#steps.inc({ cache: 'hit' });
    else if (event.type === 'step-cache-miss') this.#steps.inc({ cache: 'miss' });
    else if (event.type === 'step-done') this.#stepSeconds.observe(event.durationMs / 1000);
  }

  /** Counts a finished build. */
  observeBuild(outcome: BuildOutcome, durationMs: number | undefined): void {
    this.#builds.inc({ outcome });
    if (durationMs !== undefined) this.#buildSeconds.observe({ outcome }, durationMs / 1000);
  }

  /** Adds a streaming response to the stream gauge until it closes. */
  trackStream(res: ServerResponse): void {
    this.#streams.add(res);
    res.once('close', () => this.#streams.delete(res));
  }

  /** Counts a stream closed because its client fell behind. */
  countSlowReader(route: string): void {
    this.#slowReaders.inc({ route });
  }

  /** Counts a request by route and response status. */
  observeRequest(route: string, status: number): void {
    this.#requests.inc({ route, status: String(status) });
  }

  /** Returns the metrics in the Prometheus text format. */
  async text(): Promise<string> {
    return this.registry.metrics();
  }
}

import { describe, expect, it } from 'vitest';
import { BuildQueue } from './build-queue.js';

describe('BuildQueue', () => {
  it('admits up to running plus waiting', () => {
    const queue = new BuildQueue(1, 1);
    queue.admit();
    queue.admit();
    expect(() => queue.admit()).toThrow(/Too many builds/);
  });

  it('release frees a place', () => {
    const queue = new BuildQueue(1, 0);
    const ticket = queue.admit();
    ticket.release();
    ticket.release();
    expect(() => queue.admit()).not.toThrow();
    expect(queue.waiting).toBe(1);
  });

  it('second start waits for a slot', async () => {
    const queue = new BuildQueue(1, 1);
    const first = queue.admit();
    const second = queue.admit();
    await first.start(new AbortController().signal);
    let started = false;
    const starting = second.start(new AbortController().signal).then(() => {
      started = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(started).toBe(false);
    expect(queue.running).toBe(1);
    expect(queue.waiting).toBe(1);
    first.release();
    await starting;
    expect(started).toBe(true);
    expect(queue.running).toBe(1);
    expect(queue.waiting).toBe(0);
  });

  it('abort while waiting rejects with the reason', async () => {
    const queue = new BuildQueue(1, 1);
    await queue.admit().start(new AbortController().signal);
    const waiting = queue.admit();
    const controller = new AbortController();
    const starting = waiting.start(controller.signal);
    controller.abort(new Error('cancelled while queued'));
    await expect(starting).rejects.toThrow('cancelled while queued');
    waiting.release();
    expect(queue.waiting).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { HttpError } from '@/lib/errors';
import { createFetchLimiter } from './create-fetch-limiter';

/** A task the test finishes by hand, so no timing is involved. */
function gate() {
  let open = () => {};
  const done = new Promise<void>((resolve) => (open = resolve));
  return { open, task: () => done };
}

describe('createFetchLimiter', () => {
  it('runs at most `concurrency` tasks, the rest in order as slots free up', async () => {
    const limiter = createFetchLimiter({ concurrency: 2, maxWaiting: 10 });
    const gates = Array.from({ length: 5 }, gate);
    const finished: number[] = [];
    const runs = gates.map((g, i) => limiter.run(g.task).then(() => finished.push(i)));
    await Promise.resolve();
    expect([limiter.running, limiter.waiting]).toEqual([2, 3]);
    gates[1]?.open();
    await runs[1];
    expect([limiter.running, limiter.waiting]).toEqual([2, 2]);
    for (const g of gates) g.open();
    await Promise.all(runs);
    expect(finished[0]).toBe(1);
    expect([limiter.running, limiter.waiting]).toEqual([0, 0]);
  });

  it('refuses with 503 poster-busy and Retry-After once the queue is full, and frees slots on failure', async () => {
    const limiter = createFetchLimiter({ concurrency: 1, maxWaiting: 1 });
    const first = gate();
    const running = limiter.run(first.task);
    const waiting = limiter.run(async () => {
      throw new Error('upstream failed');
    });
    const refused = await limiter.run(async () => 'never').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(HttpError);
    expect(refused).toMatchObject({ status: 503, code: 'poster-busy', headers: { 'Retry-After': '5' } });
    first.open();
    await running;
    await expect(waiting).rejects.toThrow('upstream failed');
    expect(await limiter.run(async () => 'ok')).toBe('ok');
    expect([limiter.running, limiter.waiting]).toEqual([0, 0]);
  });
});

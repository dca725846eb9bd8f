/**
 * The scheduler alone, with a fake clock: concurrency limits, per-model limits, the token budget per model per
 * minute, spend caps, and stopping.
 */
import { describe, expect, it, vi } from 'vitest';
import { LocalScheduler, type Permit, type SchedulerLimits } from '../src/transport/scheduler.ts';

const limits = (over: Partial<SchedulerLimits> = {}): SchedulerLimits => ({ concurrency: 2, perModel: 2, tpm: 0, maxRequests: 0, maxTokensTotal: 0, ...over });
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('LocalScheduler', () => {
  it('never has more than `concurrency` in flight, and grants the next on release', async () => {
    const scheduler = new LocalScheduler(limits({ concurrency: 2, perModel: 5 }));
    const granted: Permit[] = [];
    for (let i = 0; i < 5; i++) void scheduler.acquire({ target: 't', model: `m${i}`, tokens: 1 }).then((p) => granted.push(p));
    await tick();
    expect(granted).toHaveLength(2);
    await scheduler.release((granted[0] as { lease: string }).lease, { inputTokens: 1, outputTokens: 1 });
    await tick();
    expect(granted).toHaveLength(3);
    expect(scheduler.figures.peakInFlight).toBe(2);
  });

  it('holds each model to its own limit while other models go ahead', async () => {
    const scheduler = new LocalScheduler(limits({ concurrency: 10, perModel: 1 }));
    const order: string[] = [];
    for (const model of ['a', 'a', 'b']) void scheduler.acquire({ target: 't', model, tokens: 1 }).then(() => order.push(model));
    await tick();
    expect(order).toEqual(['a', 'b']);
  });

  it('keeps a model under its tokens per minute, then lets it go when the window moves', async () => {
    vi.useFakeTimers();
    try {
      const scheduler = new LocalScheduler(limits({ concurrency: 10, perModel: 10, tpm: 100 }));
      const granted: number[] = [];
      for (const tokens of [60, 30, 20]) {
        void scheduler.acquire({ target: 't', model: 'm', tokens }).then((p) => {
          granted.push(tokens);
          if (p.granted) void scheduler.release(p.lease, { inputTokens: 0, outputTokens: 0 });
        });
      }
      await vi.advanceTimersByTimeAsync(0);
      expect(granted).toEqual([60, 30]);
      // Another model has its own budget.
      expect(await scheduler.acquire({ target: 't', model: 'other', tokens: 90 })).toMatchObject({ granted: true });
      await vi.advanceTimersByTimeAsync(59_000);
      expect(granted).toEqual([60, 30]);
      await vi.advanceTimersByTimeAsync(1_100);
      expect(granted).toEqual([60, 30, 20]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('denies everything after --max-requests, with the reason', async () => {
    const scheduler = new LocalScheduler(limits({ maxRequests: 2, concurrency: 10, perModel: 10 }));
    const permits = await Promise.all([0, 1, 2].map((i) => scheduler.acquire({ target: 't', model: `m${i}`, tokens: 1 })));
    expect(permits.map((p) => p.granted)).toEqual([true, true, false]);
    expect(permits[2]).toMatchObject({ code: 'HARNESS_BUDGET', message: expect.stringContaining('--max-requests 2') });
  });

  it('denies after --max-tokens-total is used up', async () => {
    const scheduler = new LocalScheduler(limits({ maxTokensTotal: 10, concurrency: 10, perModel: 10 }));
    const first = await scheduler.acquire({ target: 't', model: 'm', tokens: 1 });
    await scheduler.release((first as { lease: string }).lease, { inputTokens: 6, outputTokens: 4 });
    expect(await scheduler.acquire({ target: 't', model: 'm', tokens: 1 })).toMatchObject({ granted: false, code: 'HARNESS_BUDGET' });
  });

  it('stop() denies the waiting and the later requests', async () => {
    const scheduler = new LocalScheduler(limits({ concurrency: 1 }));
    await scheduler.acquire({ target: 't', model: 'm', tokens: 1 });
    const waiting = scheduler.acquire({ target: 't', model: 'n', tokens: 1 });
    scheduler.stop('HARNESS_INTERRUPTED', 'interrupted');
    expect(await waiting).toMatchObject({ granted: false, code: 'HARNESS_INTERRUPTED' });
    expect(await scheduler.acquire({ target: 't', model: 'o', tokens: 1 })).toMatchObject({ granted: false });
  });
});

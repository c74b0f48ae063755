import { describe, expect, it } from 'vitest';
import { backoffDelay, retryWithBackoff } from '../../src/shared/retry.js';

class Failure extends Error {
  constructor(
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super('failure');
  }
}

function run(failures: Failure[], opts: { maxRetries?: number; maxRetryAfterMs?: number; totalWaitMs?: number } = {}) {
  const waits: number[] = [];
  let calls = 0;
  const result = retryWithBackoff(
    async () => {
      calls++;
      const f = failures.shift();
      if (f) throw f;
      return 'ok';
    },
    {
      maxRetries: opts.maxRetries ?? 5,
      baseDelayMs: 100,
      maxDelayMs: 350,
      maxRetryAfterMs: opts.maxRetryAfterMs ?? 10_000,
      totalWaitMs: opts.totalWaitMs,
      classify: (e) => (e instanceof Failure ? { retryable: e.retryable, ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}) } : { retryable: false }),
      sleep: async (ms) => {
        waits.push(ms);
      },
    },
  );
  return { result, waits, calls: () => calls };
}

describe('retryWithBackoff', () => {
  it('stops before a wait that would pass the total budget', async () => {
    const r = run([new Failure(true, 400), new Failure(true, 400), new Failure(true, 400)], { totalWaitMs: 1000 });
    await expect(r.result).rejects.toThrow('failure');
    expect(r.waits).toEqual([400, 400]);
    expect(r.calls()).toBe(3);
  });

  it('waits exponentially longer (jittered down by at most 25 %), capped', async () => {
    const r = run([new Failure(true), new Failure(true), new Failure(true), new Failure(true)]);
    await expect(r.result).resolves.toBe('ok');
    expect(r.calls()).toBe(5);
    const bounds = [100, 200, 350, 350];
    r.waits.forEach((w, i) => {
      expect(w).toBeLessThanOrEqual(bounds[i]!);
      expect(w).toBeGreaterThanOrEqual(bounds[i]! * 0.75);
    });
  });

  it('waits what Retry-After asks, and gives up when it asks too much', async () => {
    const honoured = run([new Failure(true, 1_234)]);
    await expect(honoured.result).resolves.toBe('ok');
    expect(honoured.waits).toEqual([1_234]);

    const tooLong = run([new Failure(true, 60_000)], { maxRetryAfterMs: 30_000 });
    await expect(tooLong.result).rejects.toBeInstanceOf(Failure);
    expect(tooLong.calls()).toBe(1);
  });

  it('does not retry what is not retryable, and stops after maxRetries', async () => {
    const fatal = run([new Failure(false)]);
    await expect(fatal.result).rejects.toBeInstanceOf(Failure);
    expect(fatal.calls()).toBe(1);

    const persistent = run([new Failure(true), new Failure(true), new Failure(true)], { maxRetries: 2 });
    await expect(persistent.result).rejects.toBeInstanceOf(Failure);
    expect(persistent.calls()).toBe(3);
  });

  it('computes the undelayed backoff exactly without jitter', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, 500, 8_000, () => 0))).toEqual([500, 1_000, 2_000, 4_000, 8_000]);
  });
});

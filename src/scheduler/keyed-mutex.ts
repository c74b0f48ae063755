/**
 * Runs of one key (scans of one repository, one job's slots) never overlap: `runExclusive`
 * queues behind the run under way, `tryRunExclusive` gives up at once. In one process a promise
 * chain per key does it; with a LeaseStore, a lease row in the database extends it to every
 * process on that database (a waiting run polls for the lease; a dead holder's lease expires).
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { type Clock, type LeaseStore, systemClock } from './types.js';

export interface KeyedMutex {
  /** Waits for earlier runs of `key` (here and, with leases, elsewhere), then runs `fn`. */
  runExclusive<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /** Runs `fn` only when nothing holds `key` now; `{ ran: false }` otherwise. */
  tryRunExclusive<T>(key: string, fn: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }>;
  /** Whether a run of `key` is under way or queued in this process. */
  isBusy(key: string): boolean;
  /** Resolves when no key is held in this process. */
  idle(): Promise<void>;
}

export interface KeyedMutexOptions {
  /** Shares the keys with other processes on the same database. */
  readonly leases?: LeaseStore;
  readonly clock?: Clock;
  /** Identifies this process as a lease holder (default host:pid:random). */
  readonly owner?: string;
  /** A lease not renewed for this long is free (default 5 min; renewed every fifth of it). */
  readonly leaseMs?: number;
  /** How often a waiting run asks for a lease another process holds (default 5 s). */
  readonly pollMs?: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createKeyedMutex(opts: KeyedMutexOptions = {}): KeyedMutex {
  const clock = opts.clock ?? systemClock;
  const owner = opts.owner ?? `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const leaseMs = opts.leaseMs ?? 5 * 60_000;
  const pollMs = opts.pollMs ?? 5_000;
  const leases = opts.leases;
  // The tail of each key's queue; removed when the last run of the key settles.
  const tails = new Map<string, Promise<unknown>>();

  const enqueue = <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const previous = tails.get(key) ?? Promise.resolve();
    const run = previous.then(fn);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return run;
  };

  /** Runs `fn` holding the key's lease, renewing it while `fn` lives. */
  const withLease = async <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    if (!leases) return fn();
    const heartbeat = setInterval(() => {
      try {
        leases.renew(key, owner, clock.now(), leaseMs);
      } catch {
        // The database may be closing at shutdown; the lease then simply expires.
      }
    }, Math.max(1_000, leaseMs / 5));
    heartbeat.unref();
    try {
      return await fn();
    } finally {
      clearInterval(heartbeat);
      try {
        leases.release(key, owner);
      } catch {
        // As above: an unreleased lease expires on its own.
      }
    }
  };

  return {
    runExclusive(key, fn) {
      return enqueue(key, async () => {
        while (leases && !leases.acquire(key, owner, clock.now(), leaseMs)) await sleep(pollMs);
        return withLease(key, fn);
      });
    },
    async tryRunExclusive<T>(key: string, fn: () => Promise<T>) {
      if (tails.has(key)) return { ran: false as const };
      let acquired = false;
      const value = await enqueue(key, async () => {
        if (leases && !leases.acquire(key, owner, clock.now(), leaseMs)) return undefined;
        acquired = true;
        return withLease(key, fn);
      });
      return acquired ? { ran: true as const, value: value as T } : { ran: false as const };
    },
    isBusy: (key) => tails.has(key),
    async idle() {
      while (tails.size > 0) await Promise.all([...tails.values()]);
    },
  };
}

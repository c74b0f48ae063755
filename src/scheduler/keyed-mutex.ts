/**
 * Runs of one key (scans of one repository, one job's slots) never overlap in this process:
 * `runExclusive` queues behind the run under way, `tryRunExclusive` gives up at once.
 * (Across processes, the (job, slot) claim already keeps a scheduled run to one process.)
 */
export interface KeyedMutex {
  /** Waits for earlier runs of `key`, then runs `fn`; runs of other keys are not held up. */
  runExclusive<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /** Runs `fn` only when nothing holds `key` now; `{ ran: false }` otherwise. */
  tryRunExclusive<T>(key: string, fn: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }>;
  isBusy(key: string): boolean;
  /** Resolves when no key is held. */
  idle(): Promise<void>;
}

export function createKeyedMutex(): KeyedMutex {
  // The tail of each key's queue; removed when the last run of the key settles.
  const tails = new Map<string, Promise<unknown>>();

  const enqueue = <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const previous = tails.get(key) ?? Promise.resolve();
    const run = previous.then(fn, fn);
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

  return {
    runExclusive: enqueue,
    async tryRunExclusive(key, fn) {
      if (tails.has(key)) return { ran: false };
      return { ran: true, value: await enqueue(key, fn) };
    },
    isBusy: (key) => tails.has(key),
    async idle() {
      while (tails.size > 0) await Promise.all([...tails.values()]);
    },
  };
}

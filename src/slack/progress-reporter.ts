export interface ProgressReporter {
  /** Records the latest status; it is sent at most once per interval, the newest one winning. */
  report(status: string): void;
  /** Stops reporting and waits for an update already under way, so it cannot overwrite the answer. */
  stop(): Promise<void>;
}

/**
 * Throttles live status updates (chat.update is ~50/min per workspace) and sends them one after
 * another, never two at once.
 */
export function createProgressReporter(send: (status: string) => Promise<void>, minIntervalMs: number): ProgressReporter {
  let latest: string | undefined;
  // Counting from creation: the placeholder was just posted, so the first update waits a full interval.
  let lastSent = Date.now();
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();
  let stopped = false;

  const sendLatest = () => {
    timer = undefined;
    if (stopped || latest === undefined) return;
    const status = latest;
    latest = undefined;
    lastSent = Date.now();
    chain = chain.then(() => send(status)).catch(() => undefined);
  };

  return {
    report(status) {
      if (stopped) return;
      latest = status;
      if (timer) return;
      const wait = Math.max(0, lastSent + minIntervalMs - Date.now());
      timer = setTimeout(sendLatest, wait);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await chain;
    },
  };
}

/**
 * The one retry loop of Teammate: exponential backoff with jitter, the server's Retry-After when
 * it asks for one, bounded per wait and in total. The model adapter (llm/) and the Slack adapter
 * (slack/call-with-rate-limit.ts) each pass only their own `classify`.
 */
export interface RetryOptions {
  /** Attempts after the first one. */
  readonly maxRetries: number;
  /** First wait; doubles on each retry (with up to 25 % jitter), capped at maxDelayMs. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Longest server-requested wait (Retry-After) we accept; beyond it we give up at once. */
  readonly maxRetryAfterMs: number;
  /** The most waited over all retries together; a wait that would pass it is not started. */
  readonly totalWaitMs?: number;
  readonly signal?: AbortSignal;
  /** Whether `err` is worth another try, and how long the server asked us to wait. */
  readonly classify: (err: unknown) => { retryable: boolean; retryAfterMs?: number };
  readonly onRetry?: (info: { attempt: number; delayMs: number; err: unknown }) => void;
  /** Injected so tests need not wait; defaults to an abortable setTimeout. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Exponential delay for retry number `attempt` (1-based), jittered down by at most a quarter. */
export function backoffDelay(attempt: number, baseDelayMs: number, maxDelayMs: number, random = Math.random): number {
  const raw = Math.min(baseDelayMs * 2 ** (attempt - 1), maxDelayMs);
  return Math.round(raw * (1 - random() * 0.25));
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `fn` until it succeeds, a non-retryable error occurs or retries run out. Honours the
 * server's Retry-After when it is reasonable: a server asking for minutes is better answered by
 * our fallback than by keeping a Slack user waiting.
 */
export async function retryWithBackoff<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  const sleep = opts.sleep ?? abortableSleep;
  let waited = 0;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      const { retryable, retryAfterMs } = opts.classify(err);
      if (!retryable || attempt >= opts.maxRetries || opts.signal?.aborted) throw err;
      if (retryAfterMs !== undefined && retryAfterMs > opts.maxRetryAfterMs) throw err;
      const delayMs = retryAfterMs ?? backoffDelay(attempt + 1, opts.baseDelayMs, opts.maxDelayMs);
      if (opts.totalWaitMs !== undefined && waited + delayMs > opts.totalWaitMs) throw err;
      waited += delayMs;
      opts.onRetry?.({ attempt: attempt + 1, delayMs, err });
      await sleep(delayMs, opts.signal);
    }
  }
}

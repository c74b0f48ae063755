import type { Logger } from '../logging/logger.js';
import { retryWithBackoff } from '../shared/retry.js';

export interface RateLimitRetryOptions {
  readonly logger: Logger;
  /** Attempts after the first one. */
  readonly retries?: number;
  /** A longer Retry-After than this is not waited for: the call fails instead. */
  readonly maxWaitSec?: number;
  /** The most waited in total over all retries (default: retries × maxWaitSec). */
  readonly totalWaitSec?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Retries one Web API call after a 429, waiting Retry-After (the shared retry loop with Slack's
 * classifier). The WebClient is built with `rejectRateLimitedCalls` because its own handling
 * pauses its whole queue (every method, every channel) for up to ~30 minutes; here only the
 * rate-limited call waits, and not for long. 5xx and network errors are the WebClient's own retries.
 */
export function callWithRateLimit<T>(what: string, call: () => Promise<T>, opts: RateLimitRetryOptions): Promise<T> {
  const retries = opts.retries ?? 3;
  const maxWaitSec = opts.maxWaitSec ?? 30;
  return retryWithBackoff(() => call(), {
    maxRetries: retries,
    baseDelayMs: 1000,
    maxDelayMs: maxWaitSec * 1000,
    maxRetryAfterMs: maxWaitSec * 1000,
    totalWaitMs: (opts.totalWaitSec ?? retries * maxWaitSec) * 1000,
    classify: (err) => {
      const e = err as { code?: string; retryAfter?: number } | undefined;
      if (e?.code !== 'slack_webapi_rate_limited_error') return { retryable: false };
      return { retryable: true, retryAfterMs: (e.retryAfter ?? 1) * 1000 };
    },
    onRetry: ({ attempt, delayMs }) =>
      opts.logger.warn({ call: what, retryAfterSec: delayMs / 1000, attempt }, 'Slack rate limited a call; retrying after Retry-After'),
    sleep: opts.sleep,
  });
}

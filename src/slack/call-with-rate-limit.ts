import type { Logger } from '../logging/logger.js';

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

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Retries one Web API call after a 429, waiting Retry-After. The WebClient is built with
 * `rejectRateLimitedCalls` because its own handling pauses its whole queue (every method, every
 * channel) for up to ~30 minutes; here only the rate-limited call waits, and not for long.
 */
export async function callWithRateLimit<T>(what: string, call: () => Promise<T>, opts: RateLimitRetryOptions): Promise<T> {
  const retries = opts.retries ?? 3;
  const maxWaitSec = opts.maxWaitSec ?? 30;
  const sleep = opts.sleep ?? defaultSleep;
  const totalWaitSec = opts.totalWaitSec ?? retries * maxWaitSec;
  let waited = 0;
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const e = err as { code?: string; retryAfter?: number };
      const limited = e?.code === 'slack_webapi_rate_limited_error';
      const wait = e?.retryAfter ?? 1;
      if (!limited || attempt >= retries || wait > maxWaitSec || waited + wait > totalWaitSec) throw err;
      waited += wait;
      opts.logger.warn({ call: what, retryAfterSec: wait, attempt: attempt + 1 }, 'Slack rate limited a call; retrying after Retry-After');
      await sleep(wait * 1000);
    }
  }
}

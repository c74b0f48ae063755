/**
 * Whether retrying a failed run can help. Executors say so with ExecutorError; for anything else
 * the HTTP status decides (Octokit and fetch errors carry `status`): 401, 403, 404 and 422 mean a
 * token, permission, name or payload that the next attempt would get wrong again. 5xx, 429, a
 * secondary rate limit and network errors are transient. Unknown errors count as transient: the
 * attempt budget bounds them.
 */
import { ExecutorError } from '../executors/types.js';

export interface FailureClass {
  readonly permanent: boolean;
  /** The platform's Retry-After, when it gave one. */
  readonly retryAfterMs?: number;
}

const PERMANENT_STATUSES = new Set([400, 401, 403, 404, 410, 422]);

export function classifyFailure(err: unknown): FailureClass {
  if (err instanceof ExecutorError) return { permanent: err.permanent, ...(err.retryAfterMs !== undefined ? { retryAfterMs: err.retryAfterMs } : {}) };
  const status = (err as { status?: unknown } | null)?.status;
  if (typeof status === 'number') {
    const headers = (err as { response?: { headers?: Record<string, string | undefined> } }).response?.headers ?? {};
    const retryAfter = Number(headers['retry-after']);
    const retryAfterMs = Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter * 1000 : undefined;
    // GitHub's secondary rate limit answers 403 with Retry-After or "rate limit" in the message.
    const rateLimited = status === 429 || (status === 403 && (retryAfterMs !== undefined || /rate limit/i.test(String((err as Error).message))));
    if (rateLimited) return { permanent: false, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
    return { permanent: PERMANENT_STATUSES.has(status) };
  }
  return { permanent: false };
}

import { Octokit } from '@octokit/rest';
import type { Config } from '../config/load-config.js';

/**
 * The one place Octokit is built: base URL from config (GitHub Enterprise works the same way),
 * no retries hidden here (callers decide), a request timeout so a dead host can't hang a job.
 */
export function createOctokit(github: Config['github'], opts: { timeoutMs?: number } = {}): Octokit {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  return new Octokit({
    auth: github.token,
    baseUrl: github.apiUrl,
    userAgent: 'teammate',
    request: {
      fetch: (url: string | URL, init?: RequestInit) => fetch(url, { ...init, signal: init?.signal ?? AbortSignal.timeout(timeoutMs) }),
    },
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
}

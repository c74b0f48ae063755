export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

export interface CheckResult {
  readonly name: string;
  readonly status: CheckStatus;
  readonly detail: string;
  /** What to do about a fail or warn. */
  readonly fix?: string;
}

const MARK: Record<CheckStatus, string> = { pass: 'PASS', fail: 'FAIL', warn: 'WARN', skip: 'SKIP' };

export function formatCheck(r: CheckResult): string {
  const head = `${MARK[r.status]}  ${r.name.padEnd(22)} ${r.detail}`;
  return r.fix && (r.status === 'fail' || r.status === 'warn') ? `${head}\n      fix: ${r.fix}` : head;
}

/** Network errors as people read them: "connection refused", "timed out after 5 s". */
export function describeNetworkError(err: unknown): string {
  // SDKs wrap the transport error: Slack's WebClient in `original`, fetch in `cause`.
  const wrapped = (err as { original?: unknown }).original;
  if (wrapped) return describeNetworkError(wrapped);
  const e = err as { name?: string; message?: string; code?: string; cause?: { code?: string; message?: string } };
  const code = e.code ?? e.cause?.code;
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || code === 'ETIMEDOUT') return 'timed out';
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found (DNS)';
  return (e.cause?.message ?? e.message ?? String(err)).slice(0, 200);
}

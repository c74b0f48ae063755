/** Why a model call failed, in words the core can act on without knowing the SDK. */
export type ModelErrorKind = 'timeout' | 'rate_limit' | 'server' | 'connection' | 'auth' | 'bad_request' | 'aborted' | 'invalid_response';

/**
 * The one error type the ChatModel port throws. `retryable` tells the retry loop (and the caller)
 * whether trying again could help; `status` is the HTTP status when there was one.
 */
export class ModelError extends Error {
  override name = 'ModelError';
  readonly kind: ModelErrorKind;
  readonly retryable: boolean;
  readonly status: number | undefined;
  /** What the server asked us to wait (Retry-After), when it said. */
  readonly retryAfterMs: number | undefined;
  /** The per-request timeout that expired, for `kind: 'timeout'`. */
  readonly timeoutMs: number | undefined;

  constructor(
    message: string,
    opts: { kind: ModelErrorKind; retryable: boolean; status?: number; retryAfterMs?: number; timeoutMs?: number; cause?: unknown },
  ) {
    super(message, { cause: opts.cause });
    this.kind = opts.kind;
    this.retryable = opts.retryable;
    this.status = opts.status;
    this.retryAfterMs = opts.retryAfterMs;
    this.timeoutMs = opts.timeoutMs;
  }
}

/** Short, user-facing reason: "timeout after 60 s", "HTTP 500", "rate limited". */
export function describeModelFailure(err: unknown): string {
  if (!(err instanceof ModelError)) return 'unexpected error';
  switch (err.kind) {
    case 'timeout':
      return err.timeoutMs ? `timeout after ${Math.round(err.timeoutMs / 100) / 10} s` : 'timeout';
    case 'rate_limit':
      return 'rate limited (HTTP 429)';
    case 'auth':
      return `authentication failed (HTTP ${err.status ?? '401'}); check OPENAI_API_KEY`;
    case 'connection':
      return 'could not reach the model endpoint; check OPENAI_BASE_URL';
    case 'aborted':
      return 'cancelled';
    case 'invalid_response':
      return 'the model sent an unreadable reply';
    default:
      return err.status ? `HTTP ${err.status}` : err.kind;
  }
}

/**
 * The idempotency port: every side effect (a Slack delivery answered, a button click applied, a
 * task's branch/PR/message) claims a key first and records the outcome after. Core and adapters
 * depend on this interface; the SQLite implementation is storage/idempotency-store.ts.
 */

/**
 * - `fresh`: nobody claimed any of the keys; do the work.
 * - `duplicate`: the work is done, failed for good, or under way in a live process; do nothing.
 * - `stale-retry`: an earlier claim never finished and its process is gone (killed, crashed,
 *   lease expired); this caller now owns it and should do the work again, reusing `payload`.
 */
export type ClaimStatus = 'fresh' | 'duplicate' | 'stale-retry';

export type ClaimOutcome = 'done' | 'failed';

export interface Claim {
  readonly status: ClaimStatus;
  /** The claim's primary key (the first key asked for, or the existing claim's on a retry). */
  readonly key: string;
  /** What the earlier attempt recorded (`stale-retry`), e.g. the placeholder it had posted. */
  readonly payload?: Readonly<Record<string, unknown>>;
  /** 1 for a fresh claim, then +1 per takeover. */
  readonly attempts: number;
}

/** An unfinished claim whose owner is gone, taken over by this process (start-up recovery). */
export interface ReclaimedClaim {
  readonly key: string;
  readonly payload: Readonly<Record<string, unknown>>;
  /** When the first attempt claimed it (unix ms). */
  readonly claimedAt: number;
  readonly attempts: number;
}

export interface ClaimOptions {
  /** Stored with the claim so a later attempt can resume the work. */
  readonly payload?: Record<string, unknown>;
  /** A `failed` outcome may be claimed again (side effects that should be retried); default no. */
  readonly retryFailed?: boolean;
}

export interface IdempotencyStore {
  /**
   * Claims every key at once (aliases of one piece of work, e.g. a Slack event id and the
   * (channel, ts) its twin shares): if any of them is already claimed, so are all.
   */
  claim(keys: string | readonly string[], opts?: ClaimOptions): Claim;
  /** Merges fields into the claim's payload (e.g. the placeholder ts once it is posted). */
  record(key: string, fields: Record<string, unknown>): void;
  /** Records the outcome; every alias of the claim gets it. */
  complete(key: string, outcome: ClaimOutcome, detail?: string): void;
  /** Keeps this process's unfinished claims alive; call it more often than the lease. */
  heartbeat(): void;
  /** Takes over every unfinished claim under `prefix` whose owner is gone. */
  reclaimStale(prefix: string): ReclaimedClaim[];
}

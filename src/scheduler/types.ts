/**
 * The scheduler's ports. The core only knows these; SQL lives in src/storage/job-slot-store.ts.
 */

/** Where "now" comes from; tests inject a clock they move by hand instead of sleeping. */
export interface Clock {
  /** Unix milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** How a slot came to run: its cron time arrived, it was missed while down, or someone asked. */
export type SlotKind = 'scheduled' | 'backfill' | 'manual';

export type SlotOutcome = 'succeeded' | 'failed' | 'skipped';

export interface SlotClaim {
  readonly job: string;
  /** ISO 8601 UTC of the scheduled fire time, or `manual:<ISO>`. */
  readonly slot: string;
  readonly kind: SlotKind;
  /** Identifies this process (host:pid:random). */
  readonly owner: string;
  readonly now: number;
  /** An unfinished claim whose claimed_at is older than this may be taken over (its owner died). */
  readonly leaseMs: number;
  /** A slot taken over this many times is left alone: it probably kills whoever runs it. */
  readonly maxAttempts: number;
}

export interface SlotRecord {
  readonly job: string;
  readonly slot: string;
  readonly kind: SlotKind;
  readonly claimedBy: string;
  readonly claimedAt: number;
  readonly attempts: number;
  readonly finishedAt?: number;
  readonly outcome?: SlotOutcome;
  readonly error?: string;
}

export interface JobSlotStore {
  /** Records the job on first sight and returns when that was (slots before it are never back-filled). */
  registerJob(job: string, cron: string, now: number): { readonly knownSince: number };
  /**
   * Claims the slot atomically: a fresh row (insert-or-ignore), or the takeover of an unfinished
   * claim whose lease expired. Returns the attempt number when this process won, else undefined.
   */
  claim(c: SlotClaim): number | undefined;
  /** Keeps a running claim alive so no other process takes it over. */
  renew(job: string, slot: string, owner: string, now: number): void;
  finish(job: string, slot: string, owner: string, result: { outcome: SlotOutcome; error?: string; now: number }): void;
  /** The most recent rows of a job, latest claimed first (manual runs sort among scheduled ones by time). */
  recent(job: string, limit: number): SlotRecord[];
}

/**
 * Leases on keys shared by every process on the database, so runs of one key (scans of one
 * repository) never overlap even across processes. A holder that dies frees its key when the
 * lease expires.
 */
export interface LeaseStore {
  /** Takes the key when it is free or its lease has expired; true when `holder` now has it. */
  acquire(key: string, holder: string, now: number, ttlMs: number): boolean;
  /** Extends a lease `holder` still has; false when it lost it. */
  renew(key: string, holder: string, now: number, ttlMs: number): boolean;
  release(key: string, holder: string): void;
}

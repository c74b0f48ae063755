/**
 * The scanner state port: per repository and scanner, the failure streak (a scanner that throws
 * PAUSE_AFTER_FAILURES times in a row is paused until resumed), the last commit scanned and the
 * scanner's own cache. SQL adapter: src/storage/scan-state-store.ts.
 */
import type { PausedScanner } from '../digests/types.js';

export const PAUSE_AFTER_FAILURES = 3;

export interface ScannerStateRecord {
  readonly repoId: string;
  readonly scanner: string;
  readonly consecutiveFailures: number;
  readonly paused: boolean;
  /** Scrubbed message of the last failure. */
  readonly lastError?: string;
  readonly lastFailureAt?: string;
  readonly lastSuccessAt?: string;
  /** HEAD at the last successful scan. */
  readonly lastCommit?: string;
  /** The scanner's cache (JSON), as it saved it. */
  readonly data?: unknown;
}

export interface ScanStateStore {
  get(repoId: string, scanner: string): ScannerStateRecord | undefined;
  /** Every scanner state, of one repository or of all; the digest and doctor list the paused ones. */
  list(repoId?: string): ScannerStateRecord[];
  /** A successful scan: the streak resets, the commit and cache are saved. */
  recordSuccess(repoId: string, scanner: string, result: { readonly lastCommit?: string; readonly data: unknown; readonly at: Date }): void;
  /** A failed scan: the streak grows and the scanner is paused once it reaches `pauseAfter`. Returns the new state. */
  recordFailure(repoId: string, scanner: string, failure: { readonly error: string; readonly at: Date; readonly pauseAfter: number }): ScannerStateRecord;
  /** Unpauses and resets the streak; false when there was nothing paused. */
  resume(repoId: string, scanner: string): boolean;
}

/**
 * The paused scanners, as the digest and `teammate doctor` list them: "todo on acme/widgets is
 * paused after 3 failures in a row (last: …)".
 */
export function describePausedScanners(store: Pick<ScanStateStore, 'list'>, repoId?: string): string[] {
  return store
    .list(repoId)
    .filter((s) => s.paused)
    .map((s) => `${s.scanner} on ${s.repoId} is paused after ${s.consecutiveFailures} failures in a row (last: ${s.lastError ?? 'unknown'}); resume with \`teammate scan --resume ${s.scanner}\``);
}

/** The digest's paused-scanners port over the scanner state. */
export function pausedScannersOf(store: Pick<ScanStateStore, 'list'>): () => PausedScanner[] {
  return () =>
    store
      .list()
      .filter((s) => s.paused)
      .map((s) => ({ repoId: s.repoId, scanner: s.scanner, failures: s.consecutiveFailures, ...(s.lastError ? { lastError: s.lastError } : {}) }));
}

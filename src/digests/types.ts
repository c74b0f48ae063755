/**
 * Digest core: what happened in a period, as neutral data; Slack renders it with
 * src/slack/blocks/digest-message.ts, the console and CLI with render-digest-text.ts.
 */
import type { Severity } from '../scanners/finding.js';
import type { Delivery, ProposalState, TaskStatus } from '../proposals/types.js';

export interface DigestPeriod {
  /** Unix ms, inclusive. */
  readonly from: number;
  /** Unix ms, exclusive. */
  readonly to: number;
  /** Answers are counted for this channel only (undefined: every channel and the console). */
  readonly channel?: string;
  /** Proposals, decisions, tasks and scans of these repositories only (undefined: all). */
  readonly repoIds?: readonly string[];
}

export interface DigestProposal {
  readonly id: number;
  readonly repoId: string;
  readonly scanner: string;
  readonly title: string;
  readonly severity: Severity;
  readonly state: ProposalState;
  readonly delivery?: Delivery;
}

/** A task that finished in the period: what it shipped (its first link) or why it failed. */
export interface DigestTask {
  readonly id: number;
  readonly repoId: string;
  readonly title: string;
  readonly status: 'succeeded' | 'failed';
  /** The executor's first result link (the draft PR, the issue, the run). */
  readonly link?: { readonly url: string; readonly label?: string };
  readonly error?: string;
}

export interface DecisionCounts {
  readonly approved: number;
  readonly rejected: number;
  readonly snoozed: number;
  readonly stale: number;
  /** Pending proposals a scan retired because their evidence was gone (not a person's decision). */
  readonly resolved: number;
}

export interface ScannerAcceptance {
  readonly scanner: string;
  readonly approved: number;
  readonly rejected: number;
  /** approved / (approved + rejected); undefined when neither happened. */
  readonly rate?: number;
}

export interface SuppressedCounts {
  readonly duplicate: number;
  readonly belowThreshold: number;
  readonly budget: number;
  readonly quiet: number;
}

/** A scanner switched off after failing again and again (the scanners' engine owns the rule). */
export interface PausedScanner {
  readonly repoId: string;
  readonly scanner: string;
  readonly failures: number;
  readonly lastError?: string;
}

export interface Digest {
  readonly period: DigestPeriod;
  readonly proposals: {
    /** Proposed in the period (new, or back from a snooze). */
    readonly total: number;
    /** Of those, shown only in the Home deck (over the card budget or found in quiet hours). */
    readonly overflow: number;
    /** The best few, for the message. */
    readonly top: readonly DigestProposal[];
    /** Waiting for a decision right now (the Home deck's size). */
    readonly pendingNow: number;
  };
  readonly decisions: DecisionCounts;
  readonly tasks: Readonly<Record<TaskStatus, number>>;
  /** The most recent tasks that succeeded and failed in the period (a few of each). */
  readonly finished: { readonly shipped: readonly DigestTask[]; readonly failed: readonly DigestTask[] };
  readonly questions: { readonly answered: number; readonly up: number; readonly down: number };
  readonly acceptance: readonly ScannerAcceptance[];
  readonly suppressed: SuppressedCounts;
  readonly pausedScanners: readonly PausedScanner[];
}

/** The digest's reads (SQL in src/storage/digest-queries.ts). */
export interface DigestQueries {
  proposalsIn(period: DigestPeriod, topLimit: number): { total: number; overflow: number; top: DigestProposal[] };
  pendingCount(period: DigestPeriod): number;
  decisionsIn(period: DigestPeriod): DecisionCounts;
  /** Tasks created or changed in the period, by their current status. */
  tasksIn(period: DigestPeriod): Record<TaskStatus, number>;
  /** Tasks that finished in the period, newest first, at most `limit` of each outcome. */
  finishedTasksIn(period: DigestPeriod, limit: number): { shipped: DigestTask[]; failed: DigestTask[] };
  questionsIn(period: DigestPeriod): { answered: number; up: number; down: number };
  acceptanceIn(period: DigestPeriod): ScannerAcceptance[];
  suppressedIn(period: DigestPeriod): SuppressedCounts;
  /** End of the last digest recorded for the channel, to start the next period there. */
  lastDigestEnd(channel: string): number | undefined;
  recordDigest(d: { channel: string; from: number; to: number; messageTs?: string; now: number }): number;
}

export interface DigestPorts {
  readonly queries: DigestQueries;
  /** Scanners paused after repeated failures; the scanners' engine provides them. */
  readonly pausedScanners?: () => Promise<readonly PausedScanner[]> | readonly PausedScanner[];
}

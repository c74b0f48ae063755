/**
 * Proposals core: the words and ports. A proposal is a finding turned into a suggested task, shown
 * as a card; its row is also the fingerprint memory. No vendor types and no Db here: storage
 * implements ProposalStore (src/storage/proposal-store.ts).
 */
import type { Finding, Severity } from '../scanners/finding.js';

export type ProposalState = 'pending' | 'approved' | 'rejected' | 'snoozed' | 'stale' | 'expired';
export type DecisionAction = 'approve' | 'reject' | 'snooze';
export type DecisionSurface = 'slack' | 'home' | 'console' | 'cli';
/** What the audit records: a person's decision, or a scan retiring a proposal whose evidence is gone. */
export type AuditAction = DecisionAction | 'expire';
export type AuditSurface = DecisionSurface | 'scan';
/** The user id the audit names when Teammate itself changed a proposal's state. */
export const TEAMMATE_ACTOR = 'teammate';
/** Where a pending proposal is shown: a card in a channel, or only the Home deck and the digest. */
export type Delivery = 'channel' | 'deck';
export type TaskStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export const TASK_STATUSES: readonly TaskStatus[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];

/** The task as the card and Details show it: the LLM's write-up, or the scanner's own text. */
export interface TaskWriteup {
  readonly title: string;
  readonly why: string;
  readonly plan: string;
  readonly acceptance: string;
  readonly source: 'llm' | 'scanner';
}

export interface Proposal {
  readonly id: number;
  readonly repoId: string;
  readonly scanner: string;
  readonly rule: string;
  readonly fingerprint: string;
  readonly title: string;
  readonly finding: Finding;
  readonly writeup?: TaskWriteup;
  readonly severity: Severity;
  readonly confidence: number;
  readonly state: ProposalState;
  readonly snoozeUntil?: number;
  readonly delivery?: Delivery;
  readonly channel?: string;
  readonly messageTs?: string;
  readonly threadTs?: string;
  readonly requestedBy?: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly proposedAt: number;
  readonly decidedBy?: string;
  readonly decidedAt?: number;
  readonly decisionReason?: string;
  /** Set once approved. */
  readonly taskId?: number;
}

/**
 * What an upsert did with a finding:
 * - `new`: first time this fingerprint is seen in this repository → a pending proposal;
 * - `returned`: known, but back to pending (its snooze is over, or it was stale/expired and the
 *   evidence is here again) → proposed again;
 * - `known`: pending, approved, rejected or still snoozed → stays silent (a duplicate).
 */
export type UpsertOutcome = 'new' | 'returned' | 'known';

export interface UpsertResult {
  readonly proposal: Proposal;
  readonly outcome: UpsertOutcome;
}

export interface UpsertContext {
  readonly repoId: string;
  readonly now: number;
  /** Change requests from a thread carry who asked and where. */
  readonly requestedBy?: string;
  readonly channel?: string;
  readonly threadTs?: string;
}

/** The state change a decision asks for; the store applies it only if the state is still `expected`. */
export interface DecisionChange {
  readonly toState: Exclude<ProposalState, 'pending'>;
  readonly action: AuditAction;
  readonly userId: string;
  readonly surface: AuditSurface;
  readonly reason?: string;
  readonly snoozeUntil?: number;
  /** With toState `approved`: the task to queue in the same transaction. */
  readonly task?: { readonly executor: string; readonly maxAttempts?: number };
  readonly now: number;
}

export type DecideOutcome =
  | { readonly won: true; readonly proposal: Proposal; readonly taskId?: number }
  | { readonly won: false; readonly current?: Proposal };

export interface DecisionRecord {
  readonly id: number;
  readonly proposalId: number;
  readonly proposalTitle: string;
  readonly userId: string;
  readonly action: AuditAction;
  readonly reason?: string;
  readonly surface: AuditSurface;
  readonly fromState: ProposalState;
  readonly toState: ProposalState;
  readonly createdAt: number;
}

export interface TaskSummary {
  readonly id: number;
  readonly proposalId: number;
  readonly repoId: string;
  readonly title: string;
  readonly status: TaskStatus;
  readonly executor: string;
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly lastError?: string;
  readonly result?: unknown;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** What a scan did, for the digest: counts of what became cards and what was kept quiet. */
export interface ScanRunCounts {
  readonly findings: number;
  readonly newProposals: number;
  readonly posted: number;
  readonly suppressedDuplicate: number;
  readonly suppressedBelowThreshold: number;
  readonly suppressedBudget: number;
  readonly suppressedQuiet: number;
}

export interface ScanRunRecord extends ScanRunCounts {
  readonly repoId: string;
  readonly scanner?: string;
  readonly channel?: string;
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly error?: string;
}

/**
 * The proposals port. Every write is one statement or one IMMEDIATE transaction, so concurrent
 * clicks from several processes on one database change a proposal's state once.
 */
export interface ProposalStore {
  /** Fingerprint memory: inserts a new pending proposal or applies the return rules (see UpsertOutcome). */
  upsertFromFinding(finding: Finding, ctx: UpsertContext): UpsertResult;
  /** The same for a whole scan, in one transaction (one commit instead of one per finding). */
  upsertFromFindings(findings: readonly Finding[], ctx: UpsertContext): UpsertResult[];
  get(id: number): Proposal | undefined;
  /** The proposal whose card is this message (to check a click's value against its message). */
  findByCard(channel: string, messageTs: string): Proposal | undefined;
  /**
   * Compare-and-set: moves the proposal from `expectedState` to `change.toState`, writes the audit
   * row and (for an approval) queues exactly one task, all in one transaction. `won: false` when
   * another decision got there first (or the proposal does not exist).
   */
  decide(id: number, expectedState: ProposalState, change: DecisionChange): DecideOutcome;
  /**
   * The optional reason picked after a reject or snooze (the card's "Why?" menu): set on the
   * proposal and its latest audit row, only by whoever decided it. undefined: not theirs to explain.
   */
  addDecisionReason(id: number, userId: string, reason: string, now: number): Proposal | undefined;
  /** Where a scan chose to show it (card or deck only); sets the channel. */
  setDelivery(id: number, delivery: Delivery, channel: string | undefined, now: number): void;
  /** setDelivery for many proposals in one transaction. */
  setDeliveries(items: readonly { readonly id: number; readonly delivery: Delivery }[], channel: string | undefined, now: number): void;
  /** The card was posted: remember (channel, ts) so it is never posted twice and can be updated in place. */
  recordCardPost(id: number, channel: string, messageTs: string, now: number): void;
  /** Selected for a channel card but not posted yet (a crash between selecting and posting). */
  listUnpostedCards(channel: string): Proposal[];
  saveWriteup(id: number, writeup: TaskWriteup, now: number): void;
  /** Pending proposals for the Home deck, best first (severity, confidence, age). */
  listPending(opts?: { readonly repoIds?: readonly string[]; readonly limit?: number }): Proposal[];
  countPending(opts?: { readonly repoIds?: readonly string[] }): number;
  listRecentDecisions(limit: number): DecisionRecord[];
  listTasks(opts?: { readonly limit?: number; readonly status?: TaskStatus }): TaskSummary[];
  recordScanRun(run: ScanRunRecord): number;
}

/**
 * Part of the composition root (createApp): what deciding on proposals needs — the proposal
 * store, the decision policy from config, and the evidence re-check. Kept beside app.ts so the
 * root itself stays one line per concern.
 */
import type { AppRuntime } from './app.js';
import type { DecisionPolicy, RecheckEvidence } from './proposals/decide-proposal.js';
import { recheckByExcerpt } from './proposals/recheck-excerpts.js';
import type { ProposalStore } from './proposals/types.js';
import { type TeamSettingsStore, applySettingsToPolicy } from './proposals/team-settings.js';
import { listScanners } from './scanners/registry.js';
import type { SlackAppDeps } from './slack/slack-app.js';
import { createTeamSettingsStore } from './storage/team-settings-store.js';
import { readFileAtHead } from './repos/read-file-at-head.js';
import { type ScanDeps, recheckFinding } from './scanners/run-scan.js';
import { createProposalStore } from './storage/proposal-store.js';

export interface ProposalDecisions {
  readonly store: ProposalStore;
  /** What `/teammate settings` saved; it overrides config (approvers here, budget/quiet hours/scanners for scans). */
  readonly settings: TeamSettingsStore;
  readonly policy: () => DecisionPolicy;
  readonly recheck: RecheckEvidence;
}

/** The policy as configured (TEAMMATE_APPROVERS, TEAMMATE_ALLOW_SELF_APPROVAL, TEAMMATE_EXECUTOR). */
export function policyFromConfig(config: AppRuntime['config']): DecisionPolicy {
  const p = config.proposals;
  return { approvers: p.approvers, allowSelfApproval: p.allowSelfApproval, executor: p.executor };
}

/**
 * `loadScanDeps` builds the scanners' ports (GitHub, npm…); it is called on the first approval,
 * not at start-up, and passed in so this file needs nothing from app.ts at run time.
 */
export function buildProposalDecisions(runtime: AppRuntime, loadScanDeps: () => Promise<ScanDeps>): ProposalDecisions {
  const settings = createTeamSettingsStore(runtime.db);
  // Read on every decision, so a settings change applies to the next click without a restart.
  const policy = () => applySettingsToPolicy(policyFromConfig(runtime.config), settings.get());
  let scanDeps: Promise<ScanDeps> | undefined;
  const scanners = () =>
    (scanDeps ??= loadScanDeps().catch((err: unknown) => {
      scanDeps = undefined;
      throw err;
    }));
  const recheck: RecheckEvidence = async (finding, proposal) => {
    const repo = runtime.repos.find((r) => r.id === proposal.repoId);
    if (!repo) throw new Error(`repository ${proposal.repoId} is no longer configured`);
    const deps = await scanners();
    // The scanner knows its evidence best (a TODO's fingerprint, a CI run's status); a finding
    // whose scanner cannot re-check is checked by its quoted lines at HEAD.
    if (deps.scanners.some((s) => s.name === finding.scanner && s.recheck)) return recheckFinding(finding, repo, deps);
    return recheckByExcerpt((file) => readFileAtHead(repo.root, file))(finding, proposal);
  };
  return { store: createProposalStore(runtime.db), settings, policy, recheck };
}

/**
 * The Slack app's proposal and settings deps (cards, Home deck, `/teammate settings`); `onQueued`
 * wakes this process's task workers when an approval queues a task.
 */
export function buildSlackDecisionDeps(
  runtime: AppRuntime,
  loadScanDeps: () => Promise<ScanDeps>,
  onQueued?: (taskId: number) => void,
): Pick<SlackAppDeps, 'proposals' | 'settings'> {
  const { settings, ...decisions } = buildProposalDecisions(runtime, loadScanDeps);
  const proposals = onQueued ? { ...decisions, onQueued } : decisions;
  const p = runtime.config.proposals;
  return {
    proposals,
    settings: { store: settings, scanners: listScanners().map((s) => s.name), configured: { approvers: p.approvers, cardBudget: p.cardBudget, quietHours: p.quietHours } },
  };
}

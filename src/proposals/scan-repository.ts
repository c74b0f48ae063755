/**
 * The proactive loop's scan use case: scanners → proposals → a few cards in the repository's
 * channel. Both callers (the `scan` schedule and `/teammate scan`) hold the repository's lock
 * (scanLockKey) around it, so two scans of one repository never overlap, across processes too.
 * Core: the scan, the model, the store and Slack are ports.
 */
import type { ChatModel } from '../llm/types.js';
import type { Logger } from '../logging/logger.js';
import type { Repository } from '../repos/repository.js';
import type { Finding } from '../scanners/finding.js';
import type { ScanReport, ScannerOutcome } from '../scanners/run-scan.js';
import { type CardPoster, postSelectedCards } from './post-cards.js';
import { type ProposalPolicy, proposeFindings } from './propose-findings.js';
import { retireResolved } from './retire-resolved.js';
import type { ProposalStore } from './types.js';
import { writeUpProposals } from './write-up-proposals.js';

export interface ScanRepositoryDeps {
  /** runScan over the scanners' ports (built by the composition root). */
  readonly scan: (repo: Repository) => Promise<ScanReport>;
  readonly store: ProposalStore;
  /** Read at each scan, so settings saved in Slack (`/teammate settings`) apply without a restart. */
  readonly policy: ProposalPolicy | (() => ProposalPolicy);
  readonly poster: CardPoster;
  /**
   * Does a finding still hold now (the approval's evidence check)? With it, pending proposals a
   * scan no longer reports and whose evidence is gone are retired (see retire-resolved.ts).
   */
  readonly recheck?: (finding: Finding, repo: Repository) => Promise<boolean>;
  /** Writes the cards up as tasks; without it the scanner's own text is used. */
  readonly model?: ChatModel;
  readonly now: () => number;
  readonly logger: Logger;
}

/** What one scan did, for the person who asked and for the logs. */
export interface ScanRepositoryResult {
  readonly findings: number;
  readonly posted: number;
  /** New, but only in the Home deck (over the budget, quiet hours, no channel). */
  readonly deck: number;
  readonly known: number;
  /** Pending proposals retired because their evidence is gone. */
  readonly retired: number;
  readonly failedPosts: number;
  readonly paused?: 'quiet-hours' | 'weekend';
  /** Scanners that did not run (paused, failed); `off` and `skipped` are by choice and not listed. */
  readonly problems: readonly ScannerOutcome[];
  readonly text: string;
}

export type ScanRepository = (repo: Repository, channels: readonly string[]) => Promise<ScanRepositoryResult>;

/**
 * Scans `repo`, turns what is new into proposals and posts the selected cards in the first of
 * `channels` (the repository's channel; the others were mapped to it too but get the same
 * proposals through the Home deck and their digest: one finding is one card, not one per channel).
 * Cards a crash or a Slack outage left unposted in any of the channels are posted too. A scan that
 * finds nothing new posts nothing.
 */
export function createScanRepository(deps: ScanRepositoryDeps): ScanRepository {
  return async (repo, channels) => {
    const startedAt = deps.now();
    const report = await deps.scan(repo);
    const channel = channels[0];
    const proposed = proposeFindings({ repoId: repo.id, channel, findings: report.findings, startedAt }, { store: deps.store, policy: typeof deps.policy === 'function' ? deps.policy() : deps.policy, now: deps.now });
    // Write-ups happen before posting so the card shows the task the executor will get.
    await writeUpProposals(proposed.cards, {
      store: deps.store,
      model: deps.model,
      now: deps.now,
      onError: (err, p) => deps.logger.warn({ err, proposal: p.id }, 'task write-up failed; the card shows the scanner’s own text'),
    });
    let posted = 0;
    let failedPosts = 0;
    for (const c of channels) {
      const r = await postSelectedCards(c, { store: deps.store, poster: deps.poster, now: deps.now });
      posted += r.posted.length;
      failedPosts += r.failed.length;
      for (const f of r.failed) deps.logger.warn({ channel: c, proposal: f.proposalId, error: f.error }, 'could not post a card; the next scan posts it');
    }
    // Re-checks may call GitHub or run npm audit: after the new cards, which should not wait for them.
    const retired = deps.recheck
      ? await retireResolved(repo, report, {
          store: deps.store,
          recheck: deps.recheck,
          ...(deps.poster.update ? { updateCard: deps.poster.update.bind(deps.poster) } : {}),
          now: deps.now,
          logger: deps.logger,
        })
      : [];
    const problems = report.outcomes.filter((o) => o.status === 'paused' || o.status === 'failed');
    const result = {
      findings: report.findings.length,
      posted,
      deck: proposed.deck.length,
      known: proposed.suppressed.duplicate,
      retired: retired.length,
      failedPosts,
      paused: proposed.paused,
      problems,
    };
    deps.logger.info({ repo: repo.id, channel, ...result, problems: problems.map((p) => `${p.scanner}: ${p.status}`) }, 'scan finished');
    return { ...result, text: describeScan(repo, channel, result) };
  };
}

/** "Scan of acme/api: 3 new cards in <#C1>, 2 more in the Home deck (card budget). 4 already known." */
export function describeScan(repo: Pick<Repository, 'label'>, channel: string | undefined, r: Omit<ScanRepositoryResult, 'text'>): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const lines: string[] = [];
  if (r.posted === 0 && r.deck === 0 && r.failedPosts === 0) lines.push(`Scan of \`${repo.label}\` finished: nothing new, so I posted nothing (${plural(r.findings, 'finding')}, ${r.known} already known).`);
  else if (r.posted === 0 && r.deck === 0) lines.push(`Scan of \`${repo.label}\` finished: ${plural(r.failedPosts, 'new card')} for <#${channel ?? '?'}>, not posted yet.`);
  else {
    const where = channel ? ` in <#${channel}>` : '';
    const why = r.paused ? (r.paused === 'weekend' ? ' (weekend: no cards in channels)' : ' (quiet hours: no cards in channels)') : channel ? ' (over the card budget)' : ' (no channel for this repository)';
    lines.push(
      (r.posted > 0
        ? `Scan of \`${repo.label}\` finished: ${plural(r.posted, 'new card')}${where}` + (r.deck > 0 ? `, ${r.deck} more in my *Home* tab${why}` : '')
        : `Scan of \`${repo.label}\` finished: ${plural(r.deck, 'new proposal')}, all in my *Home* tab${why}`) +
        (r.known > 0 ? `; ${r.known} already known` : '') +
        '.',
    );
  }
  if (r.retired > 0) lines.push(`${plural(r.retired, 'pending proposal')} resolved on ${r.retired === 1 ? 'its' : 'their'} own (no longer found), so I took ${r.retired === 1 ? 'it' : 'them'} off the table.`);
  if (r.failedPosts > 0) lines.push(`:warning: ${plural(r.failedPosts, 'card')} could not be posted; the next scan tries again.`);
  for (const p of r.problems) lines.push(`:warning: Scanner \`${p.scanner}\` ${p.status === 'paused' ? 'is paused' : 'failed'}: ${p.reason ?? 'no reason given'}`);
  return lines.join('\n');
}

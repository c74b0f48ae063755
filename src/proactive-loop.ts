/**
 * Composition of the proactive loop for createApp: the scan and digest use cases over their
 * adapters (scanners' ports, the SQLite stores, the model, Slack posters), scheduled by
 * buildTeamSchedules and reachable through `/teammate scan|digest|status`.
 *
 *   schedule or /teammate scan → runScan → proposeFindings → write-up → cards in the channel
 *   schedule or /teammate digest → buildDigest since the last one → digest in the channel
 */
import { type Adapters, type AppRuntime, buildScanDeps } from './app.js';
import { createPostDigest, type DigestPoster } from './digests/post-digest.js';
import type { CardPoster } from './proposals/post-cards.js';
import { DEFAULT_MIN_CONFIDENCE, type ProposalPolicy } from './proposals/propose-findings.js';
import { createScanRepository } from './proposals/scan-repository.js';
import { pausedScannersOf } from './scanners/scan-state.js';
import { recheckFinding, runScan, type ScanDeps } from './scanners/run-scan.js';
import { applySettingsToPosting, scannersOffFor } from './proposals/team-settings.js';
import { createTeamSettingsStore } from './storage/team-settings-store.js';
import type { TeamJobUseCases } from './scheduler/schedule-team-jobs.js';
import type { Clock } from './scheduler/types.js';
import { createDigestQueries } from './storage/digest-queries.js';
import { createProposalStore } from './storage/proposal-store.js';
import { createScanStateStore } from './storage/scan-state-store.js';
import { buildTeamSchedules, type TeamSchedules } from './team-schedules.js';

export interface ProactiveLoopOptions {
  readonly posters: { readonly cards: CardPoster; readonly digests: DigestPoster };
  /** Tests move time by hand; schedules, quiet hours and records all read it. */
  readonly clock?: Clock;
  /** false: start() back-fills but arms no timers (tests call scheduler.fireDue()). */
  readonly armTimers?: boolean;
  /** The scanners' ports; default buildScanDeps over the adapters (built on the first scan). */
  readonly scanDeps?: () => Promise<ScanDeps>;
}

/** TEAMMATE_CARD_BUDGET, TEAMMATE_QUIET_HOURS in TEAMMATE_TZ. */
export function proposalPolicy(config: AppRuntime['config']): ProposalPolicy {
  return { cardBudget: config.proposals.cardBudget, quietHours: config.proposals.quietHours, timeZone: config.schedule.timezone, minConfidence: DEFAULT_MIN_CONFIDENCE };
}

export function buildProactiveLoop(runtime: AppRuntime, adapters: Adapters, o: ProactiveLoopOptions): { useCases: TeamJobUseCases; schedules: TeamSchedules } {
  const { config, logger, db } = runtime;
  const now = o.clock ? () => o.clock!.now() : Date.now;
  let deps: Promise<ScanDeps> | undefined;
  const scanDeps = () => (deps ??= (o.scanDeps ?? (() => buildScanDeps(runtime, adapters)))().catch((err: unknown) => ((deps = undefined), Promise.reject(err))));
  const settings = createTeamSettingsStore(db);
  const scanRepository = createScanRepository({
    // Scanners switched off and the budget / quiet hours saved with `/teammate settings` override config.
    scan: async (repo) => runScan(repo, await scanDeps(), { off: scannersOffFor(settings.get(), repo.id) }),
    store: createProposalStore(db),
    policy: () => ({ ...proposalPolicy(config), ...applySettingsToPosting(config.proposals, settings.get()) }),
    poster: o.posters.cards,
    recheck: async (finding, repo) => recheckFinding(finding, repo, await scanDeps()),
    ...(adapters.model ? { model: adapters.model } : {}),
    now,
    logger: logger.child({ component: 'scan' }),
  });
  const postDigest = createPostDigest({ queries: createDigestQueries(db), pausedScanners: pausedScannersOf(createScanStateStore(db)), poster: o.posters.digests, now });
  const useCases: TeamJobUseCases = {
    scanRepository: (repo, channels) => scanRepository(repo, channels),
    postDigest: (channel, repos, slot) => postDigest(channel, repos, slot),
  };
  const schedules = buildTeamSchedules(runtime, useCases, { ...(o.clock ? { clock: o.clock } : {}), ...(o.armTimers === false ? { armTimers: false } : {}) });
  return { useCases, schedules };
}

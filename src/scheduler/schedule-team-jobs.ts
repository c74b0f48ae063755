/**
 * The two team jobs on the slot scheduler: `scan` (every watched repository, posting to the
 * channels mapped to it) and `digest` (every channel with a repository). The use cases are ports
 * plugged in by the composition root; a job whose use case is absent is not scheduled.
 */
import type { Logger } from '../logging/logger.js';
import { type ChannelRepositoryStore, listChannelTargets } from '../repos/channel-repository.js';
import type { Repository } from '../repos/repository.js';
import type { JobRunInfo, JobScheduler } from './job-scheduler.js';

/** What a run tells the person who asked for it (`/teammate scan`); scheduled runs ignore it. */
export interface RunSummary {
  readonly text: string;
}

export interface TeamJobUseCases {
  /** Scans one repository and posts what is new to `channels`. */
  scanRepository?(repo: Repository, channels: readonly string[], slot: Date, info: JobRunInfo): Promise<RunSummary | void>;
  /** Posts one channel's digest (its repositories) for the period ending at `slot`; nothing when there is nothing to say. */
  postDigest?(channel: string, repos: readonly Repository[], slot: Date, info: JobRunInfo): Promise<RunSummary | void>;
}

export interface TeamJobsDeps {
  readonly scheduler: JobScheduler;
  readonly channelRepos: ChannelRepositoryStore;
  readonly repos: readonly Repository[];
  readonly schedule: { readonly scanCron?: string; readonly digestCron?: string; readonly channel?: string };
  readonly useCases: TeamJobUseCases;
  readonly logger: Logger;
}

export const SCAN_JOB = 'scan';
export const DIGEST_JOB = 'digest';

/** The lock key for scans of one repository: scheduled and `/teammate scan` runs share it. */
export function scanLockKey(repoId: string): string {
  return `scan:${repoId}`;
}

/** Runs `each` for every item, one after another; one failure does not stop the rest, all are reported. */
async function forEachReportingFailures<T>(items: readonly T[], name: (item: T) => string, each: (item: T) => Promise<void>, logger: Logger): Promise<void> {
  const failed: string[] = [];
  for (const item of items) {
    try {
      await each(item);
    } catch (err) {
      failed.push(`${name(item)}: ${err instanceof Error ? err.message : String(err)}`);
      logger.error({ item: name(item), err }, 'scheduled run failed for one target; going on with the others');
    }
  }
  if (failed.length > 0) throw new Error(`${failed.length} of ${items.length} failed — ${failed.join('; ')}`);
}

/** Declares `scan` and `digest` on the scheduler (call before its start()); returns the jobs scheduled. */
export function scheduleTeamJobs(deps: TeamJobsDeps): string[] {
  const { scheduler, useCases, schedule } = deps;
  const log = deps.logger.child({ component: 'team-jobs' });
  const targets = () => listChannelTargets({ store: deps.channelRepos, repos: deps.repos }, schedule.channel);
  const scheduled: string[] = [];

  const scan = useCases.scanRepository?.bind(useCases);
  if (scan && schedule.scanCron) {
    scheduler.schedule(SCAN_JOB, schedule.scanCron, async (slot, info) => {
      const byRepo = new Map<string, { repo: Repository; channels: string[] }>();
      for (const t of targets()) {
        const entry = byRepo.get(t.repo.id) ?? { repo: t.repo, channels: [] };
        entry.channels.push(t.channel);
        byRepo.set(t.repo.id, entry);
      }
      if (byRepo.size === 0) log.info('nothing to scan: no channel has a repository and TEAMMATE_CHANNEL is not set');
      await forEachReportingFailures(
        [...byRepo.values()],
        (e) => e.repo.label,
        (e) => scheduler.mutex.runExclusive(scanLockKey(e.repo.id), async () => void (await scan(e.repo, e.channels, slot, info))),
        log,
      );
    });
    scheduled.push(SCAN_JOB);
  }

  const digest = useCases.postDigest?.bind(useCases);
  if (digest && schedule.digestCron) {
    scheduler.schedule(DIGEST_JOB, schedule.digestCron, async (slot, info) => {
      const byChannel = new Map<string, Repository[]>();
      for (const t of targets()) byChannel.set(t.channel, [...(byChannel.get(t.channel) ?? []), t.repo]);
      await forEachReportingFailures(
        [...byChannel.entries()],
        ([channel]) => channel,
        async ([channel, repos]) => void (await digest(channel, repos, slot, info)),
        log,
      );
    });
    scheduled.push(DIGEST_JOB);
  }
  return scheduled;
}

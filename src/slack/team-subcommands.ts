/**
 * `/teammate scan` and `/teammate digest`: the same use cases the schedules run, for this
 * channel, now. A scan takes the repository's lock, so it never overlaps a scheduled scan of the
 * same repository; the asker hears back privately at each step.
 */
import { type ChannelRepositoryStore, channelRepository, listChannelTargets } from '../repos/channel-repository.js';
import type { Repository } from '../repos/repository.js';
import type { JobRunInfo, JobScheduler } from '../scheduler/job-scheduler.js';
import { buildStatusMessage } from './blocks/command-messages.js';
import type { KeyedMutex } from '../scheduler/keyed-mutex.js';
import { DIGEST_JOB, SCAN_JOB, type TeamJobUseCases, scanLockKey } from '../scheduler/schedule-team-jobs.js';
import type { SubcommandHandler, SubcommandHandlers } from './slack-runtime.js';

export interface TeamSubcommandDeps {
  readonly useCases: TeamJobUseCases;
  /** The scheduler's mutex, so manual and scheduled scans of one repository share a lock. */
  readonly mutex: KeyedMutex;
  readonly channelRepos: ChannelRepositoryStore;
  readonly repos: readonly Repository[];
  /** TEAMMATE_CHANNEL: it also covers the repositories no channel claimed. */
  readonly defaultChannel?: string;
  readonly now?: () => number;
  /** For `/teammate status`: the schedules with their next and last runs. */
  readonly scheduler?: Pick<JobScheduler, 'describe'>;
}

const manualInfo = (job: string, at: Date): JobRunInfo => ({ job, slotKey: `manual:${at.toISOString()}`, kind: 'manual', attempt: 1 });

export function createTeamSubcommands(deps: TeamSubcommandDeps): SubcommandHandlers {
  const now = () => new Date((deps.now ?? Date.now)());
  const say = (text: string) => ({ response_type: 'ephemeral' as const, text });
  const handlers: SubcommandHandlers = {};
  const { scanRepository, postDigest } = deps.useCases;

  if (scanRepository) {
    const scan: SubcommandHandler = async (req) => {
      const repo = channelRepository({ store: deps.channelRepos, repos: deps.repos }, req.channel).repo;
      if (!repo) {
        await req.respond(say(':warning: No repository is configured, so there is nothing to scan. Set TEAMMATE_REPOS and restart Teammate.'));
        return;
      }
      const result = await deps.mutex.tryRunExclusive(scanLockKey(repo.id), async () => {
        await req.respond(say(`Scanning \`${repo.label}\`… new proposal cards will appear in this channel.`));
        const at = now();
        return scanRepository.call(deps.useCases, repo, [req.channel], at, manualInfo(SCAN_JOB, at));
      });
      if (!result.ran) {
        await req.respond(say(`A scan of \`${repo.label}\` is already running; its cards appear here when it ends.`));
        return;
      }
      await req.respond(say(result.value?.text ?? `Scan of \`${repo.label}\` finished.`));
    };
    handlers.scan = scan;
  }

  if (postDigest) {
    const digest: SubcommandHandler = async (req) => {
      const targets = listChannelTargets({ store: deps.channelRepos, repos: deps.repos }, deps.defaultChannel).filter((t) => t.channel === req.channel);
      const fallback = channelRepository({ store: deps.channelRepos, repos: deps.repos }, req.channel).repo;
      const repos = targets.length > 0 ? targets.map((t) => t.repo) : fallback ? [fallback] : [];
      if (repos.length === 0) {
        await req.respond(say(':warning: No repository is configured, so there is no digest to make. Set TEAMMATE_REPOS and restart Teammate.'));
        return;
      }
      const at = now();
      const summary = await postDigest.call(deps.useCases, req.channel, repos, at, manualInfo(DIGEST_JOB, at));
      await req.respond(say(summary?.text ?? 'Digest posted.'));
    };
    handlers.digest = digest;
  }
  const scheduler = deps.scheduler;
  if (scheduler) {
    handlers.status = async (req) => {
      const jobs = scheduler.describe();
      const off = [SCAN_JOB, DIGEST_JOB].filter((name) => !jobs.some((j) => j.job === name));
      const view = channelRepository({ store: deps.channelRepos, repos: deps.repos }, req.channel);
      const m = buildStatusMessage(view, jobs, off);
      await req.respond({ response_type: 'ephemeral', text: m.text, blocks: m.blocks as never });
    };
  }
  return handlers;
}

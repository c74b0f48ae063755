/**
 * Composition of the scan and digest schedules, for the composition root (createApp): the SQLite
 * stores, the slot scheduler from config (TEAMMATE_SCAN_CRON, TEAMMATE_DIGEST_CRON, TEAMMATE_TZ,
 * TEAMMATE_BACKFILL_HOURS, TEAMMATE_CHANNEL) and the `/teammate scan|digest` handlers, all over
 * the use cases given. Wire it as:
 *
 *   const schedules = buildTeamSchedules(runtime, { scanRepository, postDigest });
 *   the Slack app gets `subcommands: schedules.subcommands`;
 *   await slack.start(); await schedules.start();   // back-fill after Slack is up
 *   …; await schedules.stop();                      // on shutdown, before closing the database
 */
import type { Runtime } from './cli/runtime.js';
import { type JobScheduler, createJobScheduler } from './scheduler/job-scheduler.js';
import { createKeyedMutex } from './scheduler/keyed-mutex.js';
import { type TeamJobUseCases, scheduleTeamJobs } from './scheduler/schedule-team-jobs.js';
import type { Clock } from './scheduler/types.js';
import type { SubcommandHandlers } from './slack/slack-runtime.js';
import { createTeamSubcommands } from './slack/team-subcommands.js';
import { createChannelRepoStore } from './storage/channel-repo-store.js';
import { createJobSlotStore } from './storage/job-slot-store.js';
import { createRunLockStore } from './storage/run-lock-store.js';

export interface TeamSchedules {
  readonly scheduler: JobScheduler;
  /** The jobs scheduled (a job without its use case, or with its cron `off`, is not). */
  readonly jobs: readonly string[];
  readonly subcommands: SubcommandHandlers;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function buildTeamSchedules(
  runtime: Pick<Runtime, 'config' | 'logger' | 'db' | 'repos'>,
  useCases: TeamJobUseCases,
  options: { clock?: Clock; armTimers?: boolean } = {},
): TeamSchedules {
  const { config, logger, db, repos } = runtime;
  const channelRepos = createChannelRepoStore(db);
  // Scans of one repository never overlap, also between two Teammate processes on one database.
  const mutex = createKeyedMutex({ leases: createRunLockStore(db), clock: options.clock });
  const scheduler = createJobScheduler({
    mutex,
    store: createJobSlotStore(db),
    logger,
    timezone: config.schedule.timezone,
    backfillHours: config.schedule.backfillHours,
    ...options,
  });
  const jobs = scheduleTeamJobs({ scheduler, channelRepos, repos, schedule: config.schedule, useCases, logger });
  const subcommands = createTeamSubcommands({
    useCases,
    mutex: scheduler.mutex,
    channelRepos,
    repos,
    defaultChannel: config.schedule.channel,
    scheduler,
    now: options.clock ? () => options.clock!.now() : undefined,
  });
  return {
    scheduler,
    jobs,
    subcommands,
    async start() {
      await scheduler.start();
      logger.info(
        { jobs: scheduler.describe().map((j) => ({ job: j.job, cron: j.cron, next: j.next?.toISOString() })), timezone: config.schedule.timezone },
        jobs.length > 0 ? 'scans and digests scheduled' : 'no scans or digests scheduled',
      );
    },
    stop: () => scheduler.stop(),
  };
}

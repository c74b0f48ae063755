/**
 * Cron only enqueues (graphile-worker's known_crontabs): each fire time ("slot") of a job is
 * claimed with one row in job_slots before it runs, so a slot runs once across restarts and
 * across processes sharing the database. At start-up the most recent slot missed while Teammate
 * was down is back-filled if it is within the back-fill window — one run, not a storm of every
 * missed one. A timer per job wakes at the next slot; what is due is worked out from the clock, so
 * an early, late or suspended timer neither skips nor doubles a slot.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Logger } from '../logging/logger.js';
import { latestSlot, nextSlot, slotKey } from './cron-slots.js';
import { type KeyedMutex, createKeyedMutex } from './keyed-mutex.js';
import { type Clock, type JobSlotStore, type SlotKind, type SlotOutcome, type SlotRecord, systemClock } from './types.js';

export interface JobRunInfo {
  readonly job: string;
  /** ISO key of the slot in job_slots. */
  readonly slotKey: string;
  readonly kind: SlotKind;
  /** 1, or more when a claim abandoned by a dead process was taken over. */
  readonly attempt: number;
}

/** A job's body. `slot` is the scheduled fire time (for manual runs: when it was asked for). */
export type JobRun = (slot: Date, info: JobRunInfo) => Promise<void>;

export type FireResult =
  | { readonly status: 'ran'; readonly outcome: 'succeeded' | 'failed'; readonly slotKey: string; readonly error?: string }
  | { readonly status: 'busy'; readonly slotKey: string }
  | { readonly status: 'taken'; readonly slotKey: string }
  /** The claim itself failed (database locked past its busy timeout…); the next tick tries again. */
  | { readonly status: 'unclaimed'; readonly slotKey: string; readonly error: string };

export interface JobSchedulerOptions {
  readonly store: JobSlotStore;
  readonly logger: Logger;
  /** IANA zone the cron expressions are read in (TEAMMATE_TZ). */
  readonly timezone: string;
  /** Missed slots older than this are not back-filled (TEAMMATE_BACKFILL_HOURS). */
  readonly backfillHours: number;
  readonly clock?: Clock;
  /** How long stop() waits for runs under way (default 30 s). */
  readonly stopGraceMs?: number;
  /**
   * A claim not renewed for this long belongs to a dead process and may be taken over (default
   * 5 min; a live run renews it every fifth of that).
   */
  readonly leaseMs?: number;
  /** A slot taken over this many times is left alone (default 3). */
  readonly maxAttempts?: number;
  /** Identifies this process in job_slots.claimed_by (default host:pid:random). */
  readonly owner?: string;
  /** Whether start() arms timers (tests drive fireDue() with their own clock instead). */
  readonly armTimers?: boolean;
  /** Per-key exclusion (give one with a LeaseStore to extend it across processes); default in-process. */
  readonly mutex?: KeyedMutex;
}

export interface JobScheduler {
  /** Declares a job; call before start(). Throws on a duplicate name or a bad expression. */
  schedule(job: string, cron: string, run: JobRun): void;
  /** Back-fills the most recent missed slot of each job (within the window), then arms the timers. */
  start(): Promise<void>;
  /** Disarms the timers and waits up to the grace period for runs under way. */
  stop(): Promise<void>;
  /** Runs every job whose latest slot is due and not yet claimed (what the timers call). */
  fireDue(): Promise<FireResult[]>;
  /** Runs a job now, outside its schedule (`/teammate digest`); busy when a run of it is under way. */
  runNow(job: string): Promise<FireResult>;
  /** Resolves when no run started by this scheduler is under way (tests, shutdown). */
  idle(): Promise<void>;
  /** Each job with its next slot and its latest recorded run, for `/teammate status` and doctor. */
  describe(): JobStatus[];
  /** Per-key exclusion shared with the jobs (scans of one repository). */
  readonly mutex: KeyedMutex;
}

export interface JobStatus {
  readonly job: string;
  readonly cron: string;
  readonly timezone: string;
  readonly next?: Date;
  readonly last?: SlotRecord;
}

interface JobEntry {
  readonly name: string;
  readonly cron: string;
  readonly run: JobRun;
  knownSince: number;
  /** The latest slot this process already tried to claim; later ticks skip it. */
  lastTried?: string;
  timer?: NodeJS.Timeout;
}

const MAX_TIMER_MS = 2_147_483_647; // setTimeout's limit (~24.8 days); longer waits re-arm.

export function createJobScheduler(opts: JobSchedulerOptions): JobScheduler {
  const clock = opts.clock ?? systemClock;
  const leaseMs = opts.leaseMs ?? 5 * 60_000;
  const maxAttempts = opts.maxAttempts ?? 3;
  const owner = opts.owner ?? `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const windowMs = opts.backfillHours * 3_600_000;
  const log = opts.logger.child({ component: 'scheduler' });
  const mutex = opts.mutex ?? createKeyedMutex({ clock });
  const jobs = new Map<string, JobEntry>();
  const running = new Set<Promise<unknown>>();
  let started = false;
  let stopped = false;

  const track = <T>(p: Promise<T>): Promise<T> => {
    running.add(p);
    void p.finally(() => running.delete(p)).catch(() => undefined);
    return p;
  };

  /** Claims the slot, then runs the job under its name's lock with the claim kept alive. */
  async function fire(entry: JobEntry, slot: Date, key: string, kind: SlotKind): Promise<FireResult> {
    const now = clock.now();
    let attempt: number | undefined;
    try {
      attempt = opts.store.claim({ job: entry.name, slot: key, kind, owner, now, leaseMs, maxAttempts });
    } catch (err) {
      if (entry.lastTried === key) entry.lastTried = undefined;
      log.error({ job: entry.name, slot: key, err }, 'could not claim the slot; trying again at the next tick');
      return { status: 'unclaimed', slotKey: key, error: err instanceof Error ? err.message : String(err) };
    }
    if (attempt === undefined) {
      log.debug({ job: entry.name, slot: key }, 'slot already claimed elsewhere');
      return { status: 'taken', slotKey: key };
    }
    const finish = (outcome: SlotOutcome, error?: string) => opts.store.finish(entry.name, key, owner, { outcome, error, now: clock.now() });
    const result = await mutex.tryRunExclusive(`job:${entry.name}`, async () => {
      const heartbeat = setInterval(() => {
        try {
          opts.store.renew(entry.name, key, owner, clock.now());
        } catch (err) {
          // The database may be closing (shutdown after the grace period): never crash from a timer.
          log.warn({ job: entry.name, slot: key, err }, 'could not renew the slot claim');
        }
      }, Math.max(1_000, leaseMs / 5));
      heartbeat.unref();
      const started = clock.now();
      log.info({ job: entry.name, slot: key, kind, attempt }, 'job started');
      try {
        await entry.run(slot, { job: entry.name, slotKey: key, kind, attempt });
        finish('succeeded');
        log.info({ job: entry.name, slot: key, ms: clock.now() - started }, 'job finished');
        return { status: 'ran', outcome: 'succeeded', slotKey: key } as const;
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        finish('failed', message);
        log.error({ job: entry.name, slot: key, err }, 'job failed; it runs again at its next slot');
        return { status: 'ran', outcome: 'failed', slotKey: key, error: message } as const;
      } finally {
        clearInterval(heartbeat);
      }
    });
    if (result.ran) return result.value;
    // The previous run is still going: this slot is recorded as skipped rather than queued
    // behind it, so a slow job cannot pile up runs.
    finish('skipped', 'the previous run was still going');
    log.warn({ job: entry.name, slot: key }, 'slot skipped: the previous run is still going');
    return { status: 'busy', slotKey: key };
  }

  /** The job's latest slot if it is due, unclaimed by us so far, and inside the back-fill window. */
  function dueSlot(entry: JobEntry, now: number): Date | undefined {
    const slot = latestSlot(entry.cron, opts.timezone, now);
    if (!slot) return undefined;
    if (slot.getTime() < entry.knownSince) return undefined;
    if (slotKey(slot) === entry.lastTried) return undefined;
    if (slot.getTime() < now - windowMs) {
      log.info({ job: entry.name, slot: slotKey(slot), backfillHours: opts.backfillHours }, 'missed slot is older than the back-fill window; waiting for the next one');
      entry.lastTried = slotKey(slot);
      return undefined;
    }
    return slot;
  }

  function fireIfDue(entry: JobEntry, kind: SlotKind): Promise<FireResult> | undefined {
    const slot = dueSlot(entry, clock.now());
    if (!slot) return undefined;
    const key = slotKey(slot);
    entry.lastTried = key;
    return track(fire(entry, slot, key, kind));
  }

  function arm(entry: JobEntry): void {
    if (stopped || opts.armTimers === false) return;
    const next = nextSlot(entry.cron, opts.timezone, clock.now());
    if (!next) return;
    const wait = Math.min(Math.max(0, next.getTime() - clock.now()), MAX_TIMER_MS);
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      // An early wake finds nothing due and simply re-arms for the same slot.
      void fireIfDue(entry, 'scheduled')?.catch((err: unknown) => log.error({ job: entry.name, err }, 'scheduler tick failed'));
      arm(entry);
    }, wait);
  }

  return {
    mutex,
    schedule(job, cron, run) {
      if (started) throw new Error(`schedule "${job}" before start()`);
      if (jobs.has(job)) throw new Error(`job "${job}" is scheduled twice`);
      nextSlot(cron, opts.timezone, clock.now()); // throws on a bad expression, here rather than at the first tick
      jobs.set(job, { name: job, cron, run, knownSince: 0 });
    },
    async start() {
      if (started) return;
      started = true;
      const runs: Promise<FireResult>[] = [];
      for (const entry of jobs.values()) {
        entry.knownSince = opts.store.registerJob(entry.name, entry.cron, clock.now()).knownSince;
        const run = fireIfDue(entry, 'backfill');
        if (run) runs.push(run);
        arm(entry);
      }
      // Back-filled runs go on in the background; start() returns once they are claimed.
      if (runs.length > 0) log.info({ jobs: runs.length }, 'back-filling missed slots');
    },
    async stop() {
      stopped = true;
      for (const entry of jobs.values()) clearTimeout(entry.timer);
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), opts.stopGraceMs ?? 30_000);
      });
      const outcome = await Promise.race([Promise.allSettled([...running]).then(() => 'done' as const), grace]);
      clearTimeout(timer);
      if (outcome === 'timeout') log.warn({ running: running.size }, 'stopped with jobs still running; their slots can be taken over once the lease expires');
    },
    async fireDue() {
      const runs: Promise<FireResult>[] = [];
      for (const entry of jobs.values()) {
        const run = fireIfDue(entry, 'scheduled');
        if (run) runs.push(run);
      }
      return Promise.all(runs);
    },
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
    describe() {
      return [...jobs.values()].map((e) => ({
        job: e.name,
        cron: e.cron,
        timezone: opts.timezone,
        next: nextSlot(e.cron, opts.timezone, clock.now()),
        last: opts.store.recent(e.name, 1)[0],
      }));
    },
    runNow(job) {
      const entry = jobs.get(job);
      if (!entry) return Promise.reject(new Error(`no job named "${job}"; scheduled: ${[...jobs.keys()].join(', ') || 'none'}`));
      const at = new Date(clock.now());
      return track(fire(entry, at, `manual:${slotKey(at)}`, 'manual'));
    },
  };
}

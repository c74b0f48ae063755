import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logging/logger.js';
import { type JobScheduler, type JobSchedulerOptions, createJobScheduler } from '../../src/scheduler/job-scheduler.js';
import { type Db, openDatabase } from '../../src/storage/database.js';
import { createJobSlotStore } from '../../src/storage/job-slot-store.js';
import { migrate } from '../../src/storage/migrate.js';

const run = promisify(execFile);
const at = (iso: string) => Date.parse(iso);

/** A clock the test moves by hand. */
function manualClock(iso: string) {
  let now = at(iso);
  return {
    now: () => now,
    set(next: string) {
      now = at(next);
    },
  };
}

let dir: string;
let dbFile: string;
const open: Db[] = [];
const schedulers: JobScheduler[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'teammate-slots-'));
  dbFile = path.join(dir, 'teammate.db');
  const db = openDatabase(dbFile);
  migrate(db);
  db.close();
});

afterEach(async () => {
  for (const s of schedulers.splice(0)) await s.stop();
  for (const db of open.splice(0)) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** One "process": its own connection to the shared database file and its own scheduler. */
function boot(clock: { now(): number }, extra: Partial<JobSchedulerOptions> = {}) {
  const db = openDatabase(dbFile);
  open.push(db);
  const scheduler = createJobScheduler({
    store: createJobSlotStore(db),
    logger: silentLogger(),
    timezone: 'UTC',
    backfillHours: 12,
    clock,
    armTimers: false,
    ...extra,
  });
  schedulers.push(scheduler);
  return { db, scheduler };
}

function slotRows(db: Db) {
  return db.prepare('SELECT job, slot, kind, attempts, outcome, error FROM job_slots ORDER BY job, slot').all();
}

describe('job scheduler: a slot fires once', () => {
  it('runs the 09:00 slot once, and a restarted process does not run it again', async () => {
    const clock = manualClock('2026-12-07T08:00:00Z'); // a Monday
    const ran: string[] = [];
    const a = boot(clock);
    a.scheduler.schedule('digest', '0 9 * * 1', async (slot) => void ran.push(`A ${slot.toISOString()}`));
    await a.scheduler.start();
    expect(await a.scheduler.fireDue()).toEqual([]); // nothing due before 09:00
    clock.set('2026-12-07T09:00:00.400Z');
    expect(await a.scheduler.fireDue()).toEqual([{ status: 'ran', outcome: 'succeeded', slotKey: '2026-12-07T09:00:00.000Z' }]);
    expect(await a.scheduler.fireDue()).toEqual([]); // a second tick in the same slot
    await a.scheduler.stop();

    clock.set('2026-12-07T09:20:00Z');
    const b = boot(clock);
    b.scheduler.schedule('digest', '0 9 * * 1', async (slot) => void ran.push(`B ${slot.toISOString()}`));
    await b.scheduler.start();
    await b.scheduler.idle();
    expect(await b.scheduler.fireDue()).toEqual([]);
    expect(ran).toEqual(['A 2026-12-07T09:00:00.000Z']);
    expect(slotRows(b.db)).toEqual([{ job: 'digest', slot: '2026-12-07T09:00:00.000Z', kind: 'scheduled', attempts: 1, outcome: 'succeeded', error: null }]);
  });

  it('lets exactly one of two schedulers on one database run a slot they both see as due', async () => {
    const clock = manualClock('2026-12-07T08:59:00Z');
    const ran: string[] = [];
    const a = boot(clock);
    const b = boot(clock);
    a.scheduler.schedule('scan', '0 9 * * 1-5', async () => void ran.push('A'));
    b.scheduler.schedule('scan', '0 9 * * 1-5', async () => void ran.push('B'));
    await Promise.all([a.scheduler.start(), b.scheduler.start()]);
    clock.set('2026-12-07T09:00:01Z');
    const [ra, rb] = await Promise.all([a.scheduler.fireDue(), b.scheduler.fireDue()]);
    expect([...ra, ...rb].map((r) => r.status).sort()).toEqual(['ran', 'taken']);
    expect(ran).toHaveLength(1);
  });

  it('lets exactly one of four processes run each slot when they race for it at the same instant', async () => {
    // Enough slots that the processes' claims interleave: a check-then-insert claim double-runs
    // a few of 300 here, the one-statement claim none.
    const jobs = 300;
    // Register the jobs before the missed slot, so every process sees it as back-fillable.
    const clock = manualClock('2026-12-07T08:00:00Z');
    const first = boot(clock);
    for (let i = 0; i < jobs; i++) first.scheduler.schedule(`job-${i}`, '0 9 * * *', async () => undefined);
    await first.scheduler.start();
    await first.scheduler.stop();

    const script = path.join(import.meta.dirname, 'fixtures', 'race-for-slots.mjs');
    const goAt = Date.now() + 1500; // all four are loaded and spinning by then
    const now = String(at('2026-12-07T10:00:00Z'));
    const outputs = await Promise.all(
      [1, 2, 3, 4].map(() => run(process.execPath, [script, dbFile, now, String(goAt), String(jobs)], { timeout: 30_000 })),
    );
    const ranPerProcess = outputs.map((o) => JSON.parse(o.stdout) as string[]);
    const all = ranPerProcess.flat().sort();
    expect(all).toEqual(Array.from({ length: jobs }, (_, i) => `job-${i}`).sort());
    const rows = first.db.prepare("SELECT COUNT(*) AS n, COUNT(DISTINCT claimed_by) AS owners FROM job_slots WHERE kind = 'backfill'").get() as {
      n: number;
      owners: number;
    };
    expect(rows.n).toBe(jobs);
    expect(rows.owners).toBeGreaterThanOrEqual(1);
  }, 60_000); // four processes contending for one SQLite writer lock take a while on a busy machine
});

describe('job scheduler: back-fill at start-up', () => {
  it('back-fills the most recent missed slot once, not every missed one', async () => {
    const clock = manualClock('2026-12-07T08:30:00Z');
    const ran: string[] = [];
    const job = async (slot: Date) => void ran.push(slot.toISOString());
    const a = boot(clock);
    a.scheduler.schedule('hourly', '0 * * * *', job);
    await a.scheduler.start();
    await a.scheduler.stop(); // down from 08:30 …

    clock.set('2026-12-07T15:10:00Z'); // … to 15:10: seven slots missed
    const b = boot(clock);
    b.scheduler.schedule('hourly', '0 * * * *', job);
    await b.scheduler.start();
    await b.scheduler.idle();
    expect(ran).toEqual(['2026-12-07T15:00:00.000Z']);
    expect(slotRows(b.db)).toEqual([{ job: 'hourly', slot: '2026-12-07T15:00:00.000Z', kind: 'backfill', attempts: 1, outcome: 'succeeded', error: null }]);
    await b.scheduler.stop();

    const c = boot(clock); // a second restart in the same hour runs nothing
    c.scheduler.schedule('hourly', '0 * * * *', job);
    await c.scheduler.start();
    await c.scheduler.idle();
    expect(ran).toHaveLength(1);
  });

  it('does not back-fill a slot older than the window, and runs the next slot normally', async () => {
    const clock = manualClock('2026-12-07T08:00:00Z'); // Monday
    const ran: string[] = [];
    const job = async (slot: Date) => void ran.push(slot.toISOString());
    const a = boot(clock, { backfillHours: 12 });
    a.scheduler.schedule('scan', '0 9 * * 1-5', job);
    await a.scheduler.start();
    await a.scheduler.stop();

    clock.set('2026-12-07T21:30:00Z'); // Monday 09:00 is 12.5 h ago
    const b = boot(clock, { backfillHours: 12 });
    b.scheduler.schedule('scan', '0 9 * * 1-5', job);
    await b.scheduler.start();
    await b.scheduler.idle();
    expect(ran).toEqual([]);

    clock.set('2026-12-08T09:00:00Z');
    await b.scheduler.fireDue();
    expect(ran).toEqual(['2026-12-08T09:00:00.000Z']);
  });

  it('back-fills a slot 11 h old with a 12 h window', async () => {
    const clock = manualClock('2026-12-07T08:00:00Z');
    const ran: string[] = [];
    const a = boot(clock);
    a.scheduler.schedule('scan', '0 9 * * 1-5', async () => undefined);
    await a.scheduler.start();
    await a.scheduler.stop();
    clock.set('2026-12-07T20:00:00Z');
    const b = boot(clock);
    b.scheduler.schedule('scan', '0 9 * * 1-5', async (slot, info) => void ran.push(`${slot.toISOString()} ${info.kind}`));
    await b.scheduler.start();
    await b.scheduler.idle();
    expect(ran).toEqual(['2026-12-07T09:00:00.000Z backfill']);
  });

  it('does not back-fill slots from before the job was first scheduled (a fresh install)', async () => {
    const clock = manualClock('2026-12-07T10:00:00Z');
    const ran: string[] = [];
    const a = boot(clock);
    a.scheduler.schedule('digest', '0 9 * * 1', async () => void ran.push('x'));
    await a.scheduler.start();
    await a.scheduler.idle();
    expect(ran).toEqual([]);
    expect(a.db.prepare('SELECT job, known_since FROM scheduled_jobs').all()).toEqual([{ job: 'digest', known_since: at('2026-12-07T10:00:00Z') }]);
  });

  it('takes over a slot whose process died mid-run once its lease has expired, and only then', async () => {
    const clock = manualClock('2026-12-07T08:00:00Z');
    const a = boot(clock, { leaseMs: 5 * 60_000 });
    a.scheduler.schedule('scan', '0 9 * * *', () => new Promise<void>(() => undefined)); // hangs: the process "dies" here
    await a.scheduler.start();
    clock.set('2026-12-07T09:00:00Z');
    void a.scheduler.fireDue();
    schedulers.splice(schedulers.indexOf(a.scheduler), 1); // never stopped: it is dead

    const ran: number[] = [];
    clock.set('2026-12-07T09:03:00Z'); // lease still fresh: another process leaves it alone
    const b = boot(clock, { leaseMs: 5 * 60_000 });
    b.scheduler.schedule('scan', '0 9 * * *', async (_slot, info) => void ran.push(info.attempt));
    await b.scheduler.start();
    await b.scheduler.idle();
    expect(ran).toEqual([]);
    await b.scheduler.stop();

    clock.set('2026-12-07T09:06:00Z');
    const c = boot(clock, { leaseMs: 5 * 60_000 });
    c.scheduler.schedule('scan', '0 9 * * *', async (_slot, info) => void ran.push(info.attempt));
    await c.scheduler.start();
    await c.scheduler.idle();
    expect(ran).toEqual([2]);
    expect(slotRows(c.db)).toEqual([{ job: 'scan', slot: '2026-12-07T09:00:00.000Z', kind: 'scheduled', attempts: 2, outcome: 'succeeded', error: null }]);
  });
});

describe('job scheduler: failures, overlap, manual runs, timers', () => {
  it('records a failed run with its error and still runs the next slot', async () => {
    const clock = manualClock('2026-12-07T08:00:00Z');
    const { db, scheduler } = boot(clock);
    let calls = 0;
    scheduler.schedule('digest', '0 9 * * *', async () => {
      calls += 1;
      if (calls === 1) throw new Error('Slack is down');
    });
    await scheduler.start();
    clock.set('2026-12-07T09:00:00Z');
    expect(await scheduler.fireDue()).toEqual([{ status: 'ran', outcome: 'failed', slotKey: '2026-12-07T09:00:00.000Z', error: 'Slack is down' }]);
    clock.set('2026-12-08T09:00:00Z');
    expect((await scheduler.fireDue())[0]).toMatchObject({ status: 'ran', outcome: 'succeeded' });
    expect(slotRows(db)).toEqual([
      { job: 'digest', slot: '2026-12-07T09:00:00.000Z', kind: 'scheduled', attempts: 1, outcome: 'failed', error: 'Slack is down' },
      { job: 'digest', slot: '2026-12-08T09:00:00.000Z', kind: 'scheduled', attempts: 1, outcome: 'succeeded', error: null },
    ]);
  });

  it('skips (and records) a slot that arrives while the previous run is still going', async () => {
    const clock = manualClock('2026-12-07T08:58:30Z');
    const { db, scheduler } = boot(clock);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let runs = 0;
    scheduler.schedule('scan', '* * * * *', async () => {
      runs += 1;
      await gate;
    });
    await scheduler.start();
    clock.set('2026-12-07T09:00:00Z');
    const first = scheduler.fireDue();
    clock.set('2026-12-07T09:01:00Z');
    expect(await scheduler.fireDue()).toEqual([{ status: 'busy', slotKey: '2026-12-07T09:01:00.000Z' }]);
    expect(await scheduler.runNow('scan')).toEqual({ status: 'busy', slotKey: 'manual:2026-12-07T09:01:00.000Z' });
    release();
    await first;
    expect(runs).toBe(1);
    expect((slotRows(db) as Array<{ outcome: string }>).map((r) => r.outcome)).toEqual(['succeeded', 'skipped', 'skipped']);
  });

  it('runNow runs a job at once under a manual slot, and refuses an unknown job', async () => {
    const clock = manualClock('2026-12-07T12:34:56Z');
    const { db, scheduler } = boot(clock);
    const seen: string[] = [];
    scheduler.schedule('digest', '0 9 * * 1', async (slot, info) => void seen.push(`${slot.toISOString()} ${info.kind} ${info.slotKey}`));
    await scheduler.start();
    expect(await scheduler.runNow('digest')).toMatchObject({ status: 'ran', outcome: 'succeeded' });
    expect(seen).toEqual(['2026-12-07T12:34:56.000Z manual manual:2026-12-07T12:34:56.000Z']);
    expect(slotRows(db)).toMatchObject([{ kind: 'manual', outcome: 'succeeded' }]);
    await expect(scheduler.runNow('nope')).rejects.toThrow(/no job named "nope"; scheduled: digest/);
  });

  it('refuses a bad cron expression and a duplicate job when scheduling', () => {
    const { scheduler } = boot(manualClock('2026-12-07T12:00:00Z'));
    expect(() => scheduler.schedule('x', '0 25 * * *', async () => undefined)).toThrow();
    scheduler.schedule('y', '0 9 * * *', async () => undefined);
    expect(() => scheduler.schedule('y', '0 9 * * *', async () => undefined)).toThrow(/scheduled twice/);
  });

  it('describes each job with its next slot and last run', async () => {
    const clock = manualClock('2026-12-07T07:00:00Z');
    const { scheduler } = boot(clock, { timezone: 'Europe/Berlin' }); // 09:00 there is 08:00Z
    scheduler.schedule('scan', '0 9 * * 1-5', async () => undefined);
    await scheduler.start();
    expect(scheduler.describe()).toEqual([{ job: 'scan', cron: '0 9 * * 1-5', timezone: 'Europe/Berlin', next: new Date('2026-12-07T08:00:00Z'), last: undefined }]);
    await scheduler.runNow('scan'); // a manual run at 07:00Z …
    clock.set('2026-12-07T08:00:00Z');
    await scheduler.fireDue(); // … then the 09:00 Berlin slot: that is the last run
    expect(scheduler.describe()[0]!.last).toMatchObject({ slot: '2026-12-07T08:00:00.000Z', kind: 'scheduled', outcome: 'succeeded' });
  });

  it('fires from its own timer on the real clock, once per slot', async () => {
    const db = openDatabase(dbFile);
    open.push(db);
    const scheduler = createJobScheduler({ store: createJobSlotStore(db), logger: silentLogger(), timezone: 'UTC', backfillHours: 1 });
    schedulers.push(scheduler);
    const slots: string[] = [];
    const twoRuns = new Promise<void>((resolve) => {
      scheduler.schedule('tick', '* * * * * *', async (_slot, info) => {
        slots.push(info.slotKey);
        if (slots.length === 2) resolve();
      });
    });
    await scheduler.start();
    await twoRuns;
    await scheduler.stop();
    expect(new Set(slots).size).toBe(2);
    expect(slots.every((s) => s.endsWith('.000Z'))).toBe(true);
    expect(db.prepare('SELECT COUNT(*) AS n FROM job_slots').get()).toEqual({ n: slots.length });
  });

  it('does not crash the process when a run outlives shutdown and its database is closed', async () => {
    const clock = manualClock('2026-12-07T08:59:00Z');
    const db = openDatabase(dbFile);
    const scheduler = createJobScheduler({
      store: createJobSlotStore(db),
      logger: silentLogger(),
      timezone: 'UTC',
      backfillHours: 12,
      clock,
      armTimers: false,
      leaseMs: 1_000, // heartbeat every second
      stopGraceMs: 10,
    });
    scheduler.schedule('scan', '0 9 * * *', () => new Promise<void>(() => undefined));
    await scheduler.start();
    clock.set('2026-12-07T09:00:00Z');
    void scheduler.fireDue();
    await scheduler.stop(); // gives up on the hung run
    db.close(); // as `teammate start` does right after
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown) => uncaught.push(err);
    process.on('uncaughtException', onUncaught);
    try {
      await new Promise((r) => setTimeout(r, 1_300)); // the heartbeat fires on the closed database
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    expect(uncaught).toEqual([]);
  });

  it('stop() waits for a run under way, and gives up after its grace period', async () => {
    const clock = manualClock('2026-12-07T08:59:00Z');
    const { scheduler } = boot(clock, { stopGraceMs: 10_000 });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let finished = false;
    scheduler.schedule('scan', '0 9 * * *', async () => {
      await gate;
      finished = true;
    });
    await scheduler.start();
    clock.set('2026-12-07T09:00:00Z');
    void scheduler.fireDue();
    const stopping = scheduler.stop();
    release();
    await stopping;
    expect(finished).toBe(true);

    const hung = boot(clock, { stopGraceMs: 20 });
    hung.scheduler.schedule('scan2', '0 9 * * *', () => new Promise<void>(() => undefined));
    await hung.scheduler.start();
    void hung.scheduler.runNow('scan2');
    await hung.scheduler.stop(); // resolves although the run never ends
    expect(hung.scheduler.mutex.isBusy('job:scan2')).toBe(true);
  });
});

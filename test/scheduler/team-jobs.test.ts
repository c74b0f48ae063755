import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { silentLogger } from '../../src/logging/logger.js';
import type { Repository } from '../../src/repos/repository.js';
import { createJobScheduler } from '../../src/scheduler/job-scheduler.js';
import { createKeyedMutex } from '../../src/scheduler/keyed-mutex.js';
import { scanLockKey, scheduleTeamJobs } from '../../src/scheduler/schedule-team-jobs.js';
import { type Db, openDatabase } from '../../src/storage/database.js';
import { createChannelRepoStore } from '../../src/storage/channel-repo-store.js';
import { createJobSlotStore } from '../../src/storage/job-slot-store.js';
import { migrate } from '../../src/storage/migrate.js';
import { createRunLockStore } from '../../src/storage/run-lock-store.js';
import { buildTeamSchedules } from '../../src/team-schedules.js';

const repo = (id: string): Repository => ({ id, root: `/r/${id}`, label: id });
const A = repo('acme/a');
const B = repo('acme/b');

/** A promise the test resolves by hand. */
function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('keyed mutex', () => {
  it('never overlaps runs of one key, lets other keys run alongside, and survives a failing run', async () => {
    const mutex = createKeyedMutex();
    const active = new Map<string, number>();
    let maxPerKey = 0;
    let maxOverall = 0;
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const log: string[] = [];
    const work = (key: string, i: number, fail = false) =>
      mutex.runExclusive(key, async () => {
        active.set(key, (active.get(key) ?? 0) + 1);
        maxPerKey = Math.max(maxPerKey, active.get(key)!);
        maxOverall = Math.max(maxOverall, [...active.values()].reduce((a, b) => a + b, 0));
        log.push(`start ${key}${i}`);
        await gates[i]!.promise;
        active.set(key, active.get(key)! - 1);
        log.push(`end ${key}${i}`);
        if (fail) throw new Error(`boom ${i}`);
        return i;
      });
    const runs = [work('a', 0, true), work('a', 1), work('b', 2), work('a', 3)];
    await Promise.resolve();
    expect(mutex.isBusy('a')).toBe(true);
    expect(await mutex.tryRunExclusive('a', async () => 'x')).toEqual({ ran: false });
    expect(await mutex.tryRunExclusive('c', async () => 'x')).toEqual({ ran: true, value: 'x' });
    gates[2]!.resolve();
    gates[1]!.resolve(); // finishes only after 0 has
    gates[3]!.resolve();
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual(['start a0', 'start b2', 'end b2']);
    gates[0]!.resolve();
    const results = await Promise.allSettled(runs);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual(['boom 0', 1, 2, 3]);
    expect(log.filter((l) => / a\d/.test(l))).toEqual(['start a0', 'end a0', 'start a1', 'end a1', 'start a3', 'end a3']);
    expect(maxPerKey).toBe(1);
    expect(maxOverall).toBe(2);
    await mutex.idle();
    expect(mutex.isBusy('a')).toBe(false);
  });
});

describe('team jobs on the scheduler', () => {
  let db: Db;
  afterEach(() => db?.close());

  function setup(now: { t: number }, useCases: Parameters<typeof scheduleTeamJobs>[0]['useCases']) {
    db = openDatabase(':memory:');
    migrate(db);
    const channelRepos = createChannelRepoStore(db);
    channelRepos.set({ channel: 'CA', repoId: A.id, setAt: 0 });
    channelRepos.set({ channel: 'CA2', repoId: A.id, setAt: 0 });
    const scheduler = createJobScheduler({
      store: createJobSlotStore(db),
      logger: silentLogger(),
      timezone: 'UTC',
      backfillHours: 12,
      clock: { now: () => now.t },
      armTimers: false,
    });
    const jobs = scheduleTeamJobs({
      scheduler,
      channelRepos,
      repos: [A, B],
      schedule: { scanCron: '0 9 * * 1-5', digestCron: '0 9 * * 1', channel: 'CDEF' },
      useCases,
      logger: silentLogger(),
    });
    return { scheduler, jobs };
  }

  it('scans each repository once per slot for all its channels, and digests each channel once', async () => {
    const now = { t: Date.parse('2026-12-07T08:00:00Z') }; // Monday
    const scans: string[] = [];
    const digests: string[] = [];
    const { scheduler, jobs } = setup(now, {
      async scanRepository(r, channels, slot) {
        scans.push(`${r.id} → ${channels.join(',')} @${slot.toISOString()}`);
      },
      async postDigest(channel, repos) {
        digests.push(`${channel}: ${repos.map((r) => r.id).join(',')}`);
      },
    });
    expect(jobs).toEqual(['scan', 'digest']);
    await scheduler.start();
    now.t = Date.parse('2026-12-07T09:00:00Z');
    await scheduler.fireDue();
    await scheduler.fireDue();
    expect(scans).toEqual(['acme/a → CA,CA2 @2026-12-07T09:00:00.000Z', 'acme/b → CDEF @2026-12-07T09:00:00.000Z']);
    expect(digests.sort()).toEqual(['CA2: acme/a', 'CA: acme/a', 'CDEF: acme/b']);
    now.t = Date.parse('2026-12-08T09:00:00Z'); // Tuesday: scans, no digest
    await scheduler.fireDue();
    expect(scans).toHaveLength(4);
    expect(digests).toHaveLength(3);
  });

  it('does not start a scheduled scan of a repository while another scan of it is running', async () => {
    const now = { t: Date.parse('2026-12-07T08:00:00Z') };
    const running = new Map<string, number>();
    let overlap = false;
    const manualGate = deferred();
    const order: string[] = [];
    const { scheduler } = setup(now, {
      async scanRepository(r) {
        running.set(r.id, (running.get(r.id) ?? 0) + 1);
        if (running.get(r.id)! > 1) overlap = true;
        order.push(`scheduled ${r.id}`);
        running.set(r.id, running.get(r.id)! - 1);
      },
    });
    await scheduler.start();
    // A `/teammate scan` of acme/a is under way when the 09:00 slot fires.
    const manual = scheduler.mutex.runExclusive(scanLockKey(A.id), async () => {
      running.set(A.id, 1);
      order.push('manual acme/a starts');
      await manualGate.promise;
      order.push('manual acme/a ends');
      running.set(A.id, 0);
    });
    now.t = Date.parse('2026-12-07T09:00:00Z');
    const slot = scheduler.fireDue();
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual(['manual acme/a starts']);
    manualGate.resolve();
    await Promise.all([manual, slot]);
    expect(order).toEqual(['manual acme/a starts', 'manual acme/a ends', 'scheduled acme/a', 'scheduled acme/b']);
    expect(overlap).toBe(false);
  });

  it('keeps scanning the other repositories when one fails, and records the slot as failed with why', async () => {
    const now = { t: Date.parse('2026-12-07T08:00:00Z') };
    const scanned: string[] = [];
    const { scheduler } = setup(now, {
      async scanRepository(r) {
        if (r.id === A.id) throw new Error('clone failed');
        scanned.push(r.id);
      },
    });
    await scheduler.start();
    now.t = Date.parse('2026-12-07T09:00:00Z');
    const [result] = await scheduler.fireDue();
    expect(scanned).toEqual(['acme/b']);
    expect(result).toMatchObject({ status: 'ran', outcome: 'failed', error: '1 of 2 failed — acme/a: clone failed' });
    expect(db.prepare('SELECT job, outcome, error FROM job_slots').all()).toEqual([{ job: 'scan', outcome: 'failed', error: '1 of 2 failed — acme/a: clone failed' }]);
  });

  it('schedules nothing for a use case that is missing or a schedule that is off', () => {
    const now = { t: Date.parse('2026-12-07T08:00:00Z') };
    expect(setup(now, {}).jobs).toEqual([]);
  });
});

describe('buildTeamSchedules (composition)', () => {
  it('builds the scheduler from config, schedules both jobs and the slash handlers, and back-fills at start', async () => {
    const config = loadConfig({ TEAMMATE_TZ: 'Europe/Berlin', TEAMMATE_CHANNEL: 'CDEFAULT1', TEAMMATE_DIGEST_CRON: 'off' }, { cwd: '/w', homeDir: '/h' });
    const db = openDatabase(':memory:');
    migrate(db);
    try {
      let now = Date.parse('2026-12-07T07:00:00Z'); // Monday 08:00 in Berlin
      const scans: string[] = [];
      const useCases = {
        async scanRepository(r: Repository, channels: readonly string[], _slot: Date, info: { kind: string }) {
          scans.push(`${r.id} → ${channels.join(',')} (${info.kind})`);
        },
        async postDigest() {},
      };
      const first = buildTeamSchedules({ config, logger: silentLogger(), db, repos: [A] }, useCases, { clock: { now: () => now }, armTimers: false });
      expect(first.jobs).toEqual(['scan']); // digest is off
      expect(Object.keys(first.subcommands).sort()).toEqual(['digest', 'scan', 'status']);
      await first.start();
      await first.stop();
      now = Date.parse('2026-12-07T10:00:00Z'); // restarted after the 09:00 Berlin slot (08:00Z)
      const second = buildTeamSchedules({ config, logger: silentLogger(), db, repos: [A] }, useCases, { clock: { now: () => now }, armTimers: false });
      await second.start();
      await second.scheduler.idle();
      await second.stop();
      expect(scans).toEqual(['acme/a → CDEFAULT1 (backfill)']);
    } finally {
      db.close();
    }
  });
});

describe('keyed mutex across processes (leases in the database)', () => {
  it('keeps two processes from running one key at once, and frees a dead holder’s key when its lease expires', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'teammate-leases-'));
    const file = path.join(dir, 'teammate.db');
    const dbA = openDatabase(file);
    migrate(dbA);
    const dbB = openDatabase(file);
    try {
      let now = Date.parse('2026-12-07T09:00:00Z');
      const clock = { now: () => now };
      const a = createKeyedMutex({ leases: createRunLockStore(dbA), owner: 'A', clock, leaseMs: 60_000, pollMs: 5 });
      const b = createKeyedMutex({ leases: createRunLockStore(dbB), owner: 'B', clock, leaseMs: 60_000, pollMs: 5 });
      const order: string[] = [];
      const gate = deferred();
      const runA = a.runExclusive('scan:acme/a', async () => {
        order.push('A starts');
        await gate.promise;
        order.push('A ends');
      });
      await new Promise((r) => setImmediate(r));
      expect(await b.tryRunExclusive('scan:acme/a', async () => order.push('B (try)'))).toEqual({ ran: false });
      expect(await b.tryRunExclusive('scan:acme/b', async () => 'other key')).toEqual({ ran: true, value: 'other key' });
      const runB = b.runExclusive('scan:acme/a', async () => void order.push('B runs'));
      await new Promise((r) => setTimeout(r, 30)); // B polls meanwhile
      expect(order).toEqual(['A starts']);
      gate.resolve();
      await Promise.all([runA, runB]);
      expect(order).toEqual(['A starts', 'A ends', 'B runs']);

      // A holder that died without releasing: its key is free once the lease has run out.
      createRunLockStore(dbA).acquire('scan:acme/a', 'dead', now, 60_000);
      expect(await b.tryRunExclusive('scan:acme/a', async () => 'too soon')).toEqual({ ran: false });
      now += 60_001;
      expect(await b.tryRunExclusive('scan:acme/a', async () => 'taken over')).toEqual({ ran: true, value: 'taken over' });
      expect(dbA.prepare('SELECT COUNT(*) AS n FROM run_locks').get()).toEqual({ n: 0 });
    } finally {
      dbB.close();
      dbA.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/database.js';
import { type ClaimOwner, createIdempotencyStore } from '../../src/storage/idempotency-store.js';
import { migrate } from '../../src/storage/migrate.js';

const owner = (id: string, pid: number, host = 'h1'): ClaimOwner => ({ id, host, pid });

function setup() {
  const db = openDatabase(':memory:');
  migrate(db);
  const clock = { now: 1_000_000_000 };
  const alive = new Set<number>([10, 20]);
  const store = (o: ClaimOwner) => createIdempotencyStore(db, { owner: o, leaseMs: 60_000, now: () => clock.now, pidAlive: (pid) => alive.has(pid) });
  return { db, clock, alive, store };
}

describe('idempotency store', () => {
  it('claims a key set once: retries and aliases are duplicates, other keys are fresh', () => {
    const { store } = setup();
    const a = store(owner('A', 10));
    expect(a.claim(['msg:C1:1.0', 'event:E1'])).toEqual({ status: 'fresh', key: 'msg:C1:1.0', attempts: 1 });
    expect(a.claim(['msg:C1:1.0', 'event:E1']).status).toBe('duplicate');
    expect(a.claim(['msg:C1:1.0', 'event:E2']).status).toBe('duplicate');
    expect(a.claim('event:E1').status).toBe('duplicate');
    expect(a.claim(['msg:C1:2.0', 'event:E3']).status).toBe('fresh');
  });

  it('a claim in progress in a live process stays a duplicate for another process', () => {
    const { store } = setup();
    store(owner('A', 10)).claim(['msg:C1:1.0', 'event:E1']);
    expect(store(owner('B', 20)).claim(['msg:C1:1.0', 'event:E1']).status).toBe('duplicate');
  });

  it('takes over an unfinished claim whose process died, with the payload it recorded', () => {
    const { store, alive } = setup();
    const a = store(owner('A', 10));
    a.claim(['msg:C1:1.0', 'event:E1'], { payload: { text: 'where?' } });
    a.record('msg:C1:1.0', { placeholderTs: '9.9' });
    alive.delete(10);
    const b = store(owner('B', 20));
    expect(b.claim(['event:E2', 'msg:C1:1.0'])).toEqual({
      status: 'stale-retry',
      key: 'msg:C1:1.0',
      payload: { text: 'where?', placeholderTs: '9.9' },
      attempts: 2,
    });
    // Now B owns it and is alive: the next twin is a duplicate, and so is every alias after completion.
    expect(store(owner('C', 30)).claim(['event:E1', 'msg:C1:1.0']).status).toBe('duplicate');
    b.complete('msg:C1:1.0', 'done');
    alive.delete(20);
    expect(store(owner('C', 30)).claim('event:E2').status).toBe('duplicate');
    expect(store(owner('C', 30)).claim('event:E1').status).toBe('duplicate');
  });

  it('a restarted container (same pid, new instance) takes over; another host waits for the lease', () => {
    const { store, clock } = setup();
    store(owner('A', 1)).claim('msg:C1:1.0');
    expect(store(owner('B', 1)).claim('msg:C1:1.0').status).toBe('stale-retry');
    store(owner('X', 10, 'h2')).claim('msg:C1:2.0');
    expect(store(owner('Y', 20)).claim('msg:C1:2.0').status).toBe('duplicate');
    clock.now += 61_000;
    expect(store(owner('Y', 20)).claim('msg:C1:2.0').status).toBe('stale-retry');
  });

  it('heartbeats keep a long claim alive past the lease', () => {
    const { store, clock } = setup();
    const x = store(owner('X', 10, 'h2'));
    x.claim('msg:C1:1.0');
    clock.now += 50_000;
    x.heartbeat();
    clock.now += 50_000;
    expect(store(owner('Y', 20)).claim('msg:C1:1.0').status).toBe('duplicate');
  });

  it('failed is final unless the caller asks to retry failures', () => {
    const { store } = setup();
    const a = store(owner('A', 10));
    a.claim('task:1:pr');
    a.complete('task:1:pr', 'failed', 'GitHub 502');
    expect(a.claim('task:1:pr').status).toBe('duplicate');
    expect(a.claim('task:1:pr', { retryFailed: true }).status).toBe('stale-retry');
  });

  it('reclaims stale unfinished claims under a prefix once, at start-up', () => {
    const { store, alive, clock } = setup();
    const a = store(owner('A', 10));
    a.claim(['msg:C1:1.0', 'event:E1'], { payload: { channel: 'C1' } });
    a.claim('msg:C1:2.0');
    a.complete('msg:C1:2.0', 'done');
    a.claim('click:1');
    alive.delete(10);
    const b = store(owner('B', 20));
    expect(b.reclaimStale('msg:')).toEqual([{ key: 'msg:C1:1.0', payload: { channel: 'C1' }, claimedAt: clock.now, attempts: 2 }]);
    expect(store(owner('C', 30)).reclaimStale('msg:')).toEqual([]);
    expect(b.claim('event:E1').status).toBe('duplicate');
  });

  it('forgets rows older than a day', () => {
    const { db, store, clock } = setup();
    const a = store(owner('A', 10));
    a.claim(['msg:C1:1.0', 'event:E1']);
    clock.now += 25 * 60 * 60 * 1000;
    a.claim('msg:C1:9.0');
    expect(db.prepare('SELECT key FROM idempotency_keys').all()).toEqual([{ key: 'msg:C1:9.0' }]);
  });
});

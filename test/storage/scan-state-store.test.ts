import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/database.js';
import { migrate } from '../../src/storage/migrate.js';
import { createScanStateStore } from '../../src/storage/scan-state-store.js';
import { makeTempDir } from '../harness/temp-repo.js';

describe('scan state store (SQLite)', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let file: string;
  beforeEach(() => {
    tmp = makeTempDir('teammate-scanstate-');
    file = path.join(tmp.dir, 't.db');
  });
  afterEach(() => tmp.cleanup());

  const open = () => {
    const db = openDatabase(file);
    migrate(db);
    return { db, store: createScanStateStore(db) };
  };
  const at = new Date('2026-06-01T00:00:00Z');

  it('counts failures across two connections, pauses at the limit, survives a restart, and resumes', () => {
    const a = open();
    const b = open();
    a.store.recordFailure('r', 'ci', { error: 'e1', at, pauseAfter: 3 });
    b.store.recordFailure('r', 'ci', { error: 'e2', at, pauseAfter: 3 });
    const third = a.store.recordFailure('r', 'ci', { error: 'e3', at, pauseAfter: 3 });
    expect(third).toMatchObject({ consecutiveFailures: 3, paused: true, lastError: 'e3' });
    a.db.close();
    b.db.close();

    const c = open();
    expect(c.store.list().map((s) => [s.repoId, s.scanner, s.paused])).toEqual([['r', 'ci', true]]);
    expect(c.store.resume('r', 'ci')).toBe(true);
    expect(c.store.resume('r', 'ci')).toBe(false);
    expect(c.store.get('r', 'ci')).toMatchObject({ consecutiveFailures: 0, paused: false });
    c.db.close();
  });

  it('saves the commit and cache of a success and resets the streak', () => {
    const { db, store } = open();
    store.recordFailure('r', 'todo', { error: 'x', at, pauseAfter: 3 });
    store.recordSuccess('r', 'todo', { lastCommit: 'abc', data: { v: 1, files: { 'a.ts': { blob: 'b', todos: [] } } }, at });
    expect(store.get('r', 'todo')).toMatchObject({ consecutiveFailures: 0, lastCommit: 'abc', data: { v: 1, files: { 'a.ts': { blob: 'b', todos: [] } } }, lastSuccessAt: at.toISOString() });
    expect(store.get('other', 'todo')).toBeUndefined();
    // A damaged cache reads as "no cache" (a full re-scan), not as a crash.
    db.prepare("UPDATE scanner_state SET data = '{broken' WHERE scanner = 'todo'").run();
    expect(store.get('r', 'todo')?.data).toBeUndefined();
    db.close();
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { decideProposal } from '../../src/proposals/decide-proposal.js';
import { openDatabase } from '../../src/storage/database.js';
import { migrate, readMigrations } from '../../src/storage/migrate.js';
import { createProposalStore } from '../../src/storage/proposal-store.js';
import { cleanupDbs, finding, tempDb } from '../proposals/fixtures.js';

afterEach(cleanupDbs);

/** The claim issue 8's queue will use, exactly as documented in migrations/0009_proposals_tasks.sql. */
const CLAIM = `UPDATE tasks SET status = 'running', lease_owner = ?, lease_expires_at = ?, attempts = attempts + 1, started_at = ?, updated_at = ?
  WHERE id = (SELECT id FROM tasks WHERE (status = 'queued' AND run_at <= ?) OR (status = 'running' AND lease_expires_at < ?)
              ORDER BY run_at, id LIMIT 1)
  RETURNING id, attempts, lease_owner`;

describe('migration 0009 (proposals, decisions, tasks)', () => {
  it('lets a worker claim a queued task with one UPDATE … RETURNING, and reclaim it after its lease expires', async () => {
    const { db } = tempDb();
    const store = createProposalStore(db);
    const p = store.upsertFromFinding(finding(1), { repoId: 'r', now: 1000 }).proposal;
    const r = await decideProposal({ proposalId: p.id, userId: 'U1', action: 'approve', surface: 'cli' }, { store, policy: { approvers: [], allowSelfApproval: false, executor: 'codex' }, now: () => 1000 });
    if (r.kind !== 'approved') throw new Error(r.kind);
    const claim = db.prepare(CLAIM);
    expect(claim.get('w1', 2000, 1500, 1500, 1500, 1500)).toEqual({ id: r.taskId, attempts: 1, lease_owner: 'w1' });
    expect(claim.get('w2', 3000, 1600, 1600, 1600, 1600)).toBeUndefined(); // leased
    expect(claim.get('w2', 4000, 2500, 2500, 2500, 2500)).toEqual({ id: r.taskId, attempts: 2, lease_owner: 'w2' }); // lease expired
  });

  it('enforces one task per proposal and the allowed states', () => {
    const { db } = tempDb();
    const store = createProposalStore(db);
    const p = store.upsertFromFinding(finding(1), { repoId: 'r', now: 1 }).proposal;
    const insert = db.prepare(`INSERT INTO tasks (proposal_id, repo_id, executor, run_at, created_at, updated_at) VALUES (?, 'r', 'codex', 1, 1, 1)`);
    insert.run(p.id);
    expect(() => insert.run(p.id)).toThrow(/UNIQUE/);
    expect(() => db.prepare(`UPDATE tasks SET status = 'done'`).run()).toThrow(/CHECK/);
    expect(() => db.prepare(`UPDATE proposals SET state = 'maybe'`).run()).toThrow(/CHECK/);
    expect(() => store.upsertFromFinding(finding(2, { severity: 'urgent' as never }), { repoId: 'r', now: 1 })).toThrow(/CHECK/);
    expect(() => insert.run(999)).toThrow(/FOREIGN KEY/);
  });
});

describe('migration 0019 (a scan may retire a proposal)', () => {
  it('keeps every recorded decision while the audit table learns the expire action', () => {
    const db = openDatabase(':memory:');
    const all = readMigrations();
    migrate(db, all.filter((m) => m.version < 19));
    const store = createProposalStore(db);
    const p = store.upsertFromFinding(finding(1), { repoId: 'r', now: 1000 }).proposal;
    store.decide(p.id, 'pending', { toState: 'snoozed', action: 'snooze', userId: 'U1', surface: 'home', snoozeUntil: 5000, now: 1000 });
    expect(() => db.prepare(`INSERT INTO decisions (proposal_id, user_id, action, surface, from_state, to_state, created_at) VALUES (?, 'teammate', 'expire', 'scan', 'pending', 'expired', 1)`).run(p.id)).toThrow(/CHECK/);
    migrate(db, all);
    expect(db.prepare('SELECT proposal_id, user_id, action, surface, to_state, created_at FROM decisions').all()).toEqual([
      { proposal_id: p.id, user_id: 'U1', action: 'snooze', surface: 'home', to_state: 'snoozed', created_at: 1000 },
    ]);
    db.prepare(`INSERT INTO decisions (proposal_id, user_id, action, surface, from_state, to_state, created_at) VALUES (?, 'teammate', 'expire', 'scan', 'pending', 'expired', 2)`).run(p.id);
    expect(db.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE tbl_name = 'decisions' AND type = 'index' ORDER BY name`).pluck().all()).toEqual(['decisions_created', 'decisions_proposal']);
  });
});

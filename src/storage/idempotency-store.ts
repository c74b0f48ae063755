import crypto from 'node:crypto';
import os from 'node:os';
import type { Claim, ClaimOptions, ClaimOutcome, IdempotencyStore, ReclaimedClaim } from '../shared/idempotency.js';
import type { Db } from './database.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const PRUNE_EVERY_MS = 10 * 60 * 1000;

/** Who holds a claim: a random id per process, plus its host and pid to tell whether it still runs. */
export interface ClaimOwner {
  readonly id: string;
  readonly host: string;
  readonly pid: number;
}

export function thisProcessOwner(): ClaimOwner {
  return { id: crypto.randomUUID(), host: os.hostname(), pid: process.pid };
}

export interface IdempotencyStoreOptions {
  readonly owner?: ClaimOwner;
  /** A claim whose owner has not sent a heartbeat for this long is stale (any host). */
  readonly leaseMs?: number;
  /** Rows older than this are forgotten (Slack retries for minutes; keep a day). */
  readonly keepMs?: number;
  readonly now?: () => number;
  /** Whether a pid runs on this host; injectable for tests. */
  readonly pidAlive?: (pid: number) => boolean;
}

interface Row {
  key: string;
  claim_group: string;
  state: 'claimed' | 'done' | 'failed';
  owner: string;
  owner_host: string;
  owner_pid: number;
  claimed_at: number;
  heartbeat_at: number;
  attempts: number;
  payload: string | null;
}

function defaultPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parsePayload(text: string | null): Record<string, unknown> {
  if (!text) return {};
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * The SQLite idempotency store. Every read-then-write runs in an IMMEDIATE transaction, so two
 * processes sharing the database cannot both win a key or both take over a stale one.
 */
export function createIdempotencyStore(db: Db, o: IdempotencyStoreOptions = {}): IdempotencyStore {
  const me = o.owner ?? thisProcessOwner();
  const leaseMs = o.leaseMs ?? 60_000;
  const keepMs = o.keepMs ?? DAY_MS;
  const now = o.now ?? Date.now;
  const pidAlive = o.pidAlive ?? defaultPidAlive;

  const select = (n: number) => db.prepare(`SELECT * FROM idempotency_keys WHERE key IN (${Array.from({ length: n }, () => '?').join(', ')})`);
  const insert = db.prepare(
    `INSERT INTO idempotency_keys (key, claim_group, state, owner, owner_host, owner_pid, claimed_at, heartbeat_at, attempts, payload)
     VALUES (?, ?, 'claimed', ?, ?, ?, ?, ?, ?, ?)`,
  );
  const takeOver = db.prepare(
    `UPDATE idempotency_keys SET state = 'claimed', owner = ?, owner_host = ?, owner_pid = ?, heartbeat_at = ?, attempts = attempts + 1, completed_at = NULL
     WHERE claim_group = ?`,
  );
  const primary = db.prepare('SELECT * FROM idempotency_keys WHERE key = ?');
  const setPayload = db.prepare('UPDATE idempotency_keys SET payload = ? WHERE key = ?');
  const finish = db.prepare('UPDATE idempotency_keys SET state = ?, completed_at = ?, detail = ? WHERE claim_group = (SELECT claim_group FROM idempotency_keys WHERE key = ?)');
  const beat = db.prepare("UPDATE idempotency_keys SET heartbeat_at = ? WHERE owner = ? AND state = 'claimed'");
  const unfinished = db.prepare("SELECT * FROM idempotency_keys WHERE state = 'claimed' AND key = claim_group AND key LIKE ? ESCAPE '\\' AND owner <> ?");
  const prune = db.prepare('DELETE FROM idempotency_keys WHERE claimed_at < ?');
  let lastPrune = 0;

  /** The owner is gone: its heartbeat lapsed, or it ran on this host and its process is not there. */
  const ownerGone = (r: Row, at: number): boolean => {
    if (r.owner === me.id) return false;
    if (at - r.heartbeat_at > leaseMs) return true;
    if (r.owner_host !== me.host) return false;
    // A restarted container gets the same pid (often 1) under a new instance id.
    return r.owner_pid === me.pid || !pidAlive(r.owner_pid);
  };

  const claimTx = db.transaction((keys: readonly string[], opts: ClaimOptions, at: number): Claim => {
    const rows = select(keys.length).all(...keys) as Row[];
    if (rows.length === 0) {
      for (const key of keys) insert.run(key, keys[0], me.id, me.host, me.pid, at, at, 1, key === keys[0] && opts.payload ? JSON.stringify(opts.payload) : null);
      return { status: 'fresh', key: keys[0]!, attempts: 1 };
    }
    const group = rows[0]!.claim_group;
    const head = (primary.get(group) as Row | undefined) ?? rows[0]!;
    const finished = rows.some((r) => r.state === 'done' || (r.state === 'failed' && !opts.retryFailed));
    const inProgress = rows.some((r) => r.state === 'claimed' && !ownerGone(r, at));
    if (finished || inProgress) return { status: 'duplicate', key: group, attempts: head.attempts };
    for (const g of new Set(rows.map((r) => r.claim_group))) takeOver.run(me.id, me.host, me.pid, at, g);
    const known = new Set(rows.map((r) => r.key));
    for (const key of keys) if (!known.has(key)) insert.run(key, group, me.id, me.host, me.pid, at, at, head.attempts + 1, null);
    return { status: 'stale-retry', key: group, payload: parsePayload(head.payload), attempts: head.attempts + 1 };
  });

  const reclaimTx = db.transaction((prefix: string, at: number): ReclaimedClaim[] => {
    const like = `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const out: ReclaimedClaim[] = [];
    for (const r of unfinished.all(like, me.id) as Row[]) {
      if (!ownerGone(r, at)) continue;
      takeOver.run(me.id, me.host, me.pid, at, r.claim_group);
      out.push({ key: r.key, payload: parsePayload(r.payload), claimedAt: r.claimed_at, attempts: r.attempts + 1 });
    }
    return out;
  });

  return {
    claim(keys, opts = {}) {
      const list = typeof keys === 'string' ? [keys] : [...new Set(keys)];
      if (list.length === 0) throw new Error('claim needs at least one key');
      const at = now();
      if (at - lastPrune > PRUNE_EVERY_MS) {
        lastPrune = at;
        prune.run(at - keepMs);
      }
      return claimTx.immediate(list, opts, at);
    },
    record(key, fields) {
      db.transaction(() => {
        const row = primary.get(key) as Row | undefined;
        if (row) setPayload.run(JSON.stringify({ ...parsePayload(row.payload), ...fields }), key);
      }).immediate();
    },
    complete(key, outcome: ClaimOutcome, detail) {
      finish.run(outcome, now(), detail ?? null, key);
    },
    heartbeat() {
      beat.run(now(), me.id);
    },
    reclaimStale(prefix) {
      return reclaimTx.immediate(prefix, now());
    },
  };
}

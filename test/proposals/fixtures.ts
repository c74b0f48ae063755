import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Finding } from '../../src/scanners/finding.js';
import { openDatabase, type Db } from '../../src/storage/database.js';
import { migrate } from '../../src/storage/migrate.js';

export function finding(n: number, over: Partial<Finding> = {}): Finding {
  return {
    scanner: 'todo',
    rule: 'todo.fixme',
    title: `FIXME ${n}: handle the retry`,
    summary: `A FIXME in src/f${n}.ts says the retry is missing.`,
    evidence: [{ path: `src/f${n}.ts`, startLine: n, endLine: n + 2, commit: 'a'.repeat(40), excerpt: `// FIXME ${n}: handle the retry` }],
    severity: 'medium',
    confidence: 0.8,
    suggestedTask: `Add the retry in src/f${n}.ts and a test.`,
    fingerprint: `fp-${n}`,
    size: 's',
    ...over,
  };
}

const dirs: string[] = [];

/** A migrated database in a temp file (WAL, like production), closed and removed by cleanupDbs. */
export function tempDb(): { db: Db; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'teammate-proposals-'));
  dirs.push(dir);
  const file = path.join(dir, 'teammate.db');
  const db = openDatabase(file);
  migrate(db);
  return { db, file };
}

export function cleanupDbs(): void {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/** A clock the test moves by hand. Starts on Wednesday 2026-12-02 10:00 UTC (a weekday, working hours). */
export function manualClock(start = Date.UTC(2026, 11, 2, 10, 0, 0)) {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
    set(ms: number) {
      t = ms;
    },
  };
}

export const DAY = 24 * 60 * 60 * 1000;

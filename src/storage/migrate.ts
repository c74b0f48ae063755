import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Db } from './database.js';

/**
 * migrations/ at the package root, whether we run from src/ (tests), dist/ (built) or
 * dist-bench/src/ (the benchmark build, one level deeper).
 */
export const DEFAULT_MIGRATIONS_DIR = [new URL('../../migrations/', import.meta.url), new URL('../../../migrations/', import.meta.url)]
  .map((u) => fileURLToPath(u))
  .find((dir) => fs.existsSync(dir)) ?? fileURLToPath(new URL('../../migrations/', import.meta.url));

const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export interface MigrationResult {
  readonly applied: readonly Migration[];
  readonly current: number;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export function readMigrations(dir: string = DEFAULT_MIGRATIONS_DIR): Migration[] {
  const out: Migration[] = [];
  for (const file of fs.readdirSync(dir).sort()) {
    if (!file.endsWith('.sql')) continue;
    const m = FILE_NAME.exec(file);
    if (!m) throw new MigrationError(`migration file "${file}" must be named NNNN_snake_name.sql`);
    const version = Number(m[1]);
    if (out.some((x) => x.version === version)) throw new MigrationError(`two migrations share version ${version}`);
    out.push({ version, name: m[2]!, sql: fs.readFileSync(`${dir}/${file}`, 'utf8') });
  }
  return out;
}

/**
 * Applies every pending migration in order, each in its own IMMEDIATE transaction (so two
 * processes starting at once cannot both apply one), and refuses a database that a newer
 * Teammate has migrated past what this code knows.
 */
export function migrate(db: Db, migrations: readonly Migration[] = readMigrations()): MigrationResult {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  )`);
  const known = Math.max(0, ...migrations.map((m) => m.version));
  const applied: Migration[] = [];
  const currentVersion = () =>
    (db.prepare('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations').get() as { v: number }).v;

  const newest = currentVersion();
  if (newest > known) {
    throw new MigrationError(
      `the database is at schema version ${newest} but this Teammate only knows up to ${known}; upgrade Teammate or point TEAMMATE_DB at another file`,
    );
  }
  for (const m of migrations) {
    const run = db.transaction(() => {
      const done = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(m.version);
      if (done) return false;
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name) VALUES (?, ?)').run(m.version, m.name);
      return true;
    });
    try {
      if (run.immediate()) applied.push(m);
    } catch (err) {
      throw new MigrationError(`migration ${String(m.version).padStart(4, '0')}_${m.name} failed: ${(err as Error).message}`);
    }
  }
  return { applied, current: currentVersion() };
}

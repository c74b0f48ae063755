import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/database.js';
import { MigrationError, migrate, readMigrations } from '../../src/storage/migrate.js';

const tmp: string[] = [];
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'teammate-migrate-'));
  tmp.push(d);
  return d;
}
afterEach(() => {
  for (const d of tmp.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('migrations', () => {
  it('applies the real migrations once, in order, and records them', () => {
    const db = openDatabase(path.join(tempDir(), 'a', 'teammate.db'));
    const first = migrate(db);
    const all = readMigrations();
    expect(first.applied.map((m) => m.version)).toEqual(all.map((m) => m.version));
    expect(first.current).toBe(all.at(-1)!.version);
    expect(migrate(db).applied).toEqual([]);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('rolls back a failing migration entirely and names it', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, '0001_ok.sql'), 'CREATE TABLE a (x INTEGER);');
    fs.writeFileSync(path.join(dir, '0002_broken.sql'), 'CREATE TABLE b (y INTEGER); INSERT INTO nope VALUES (1);');
    const db = openDatabase(':memory:');
    expect(() => migrate(db, readMigrations(dir))).toThrow(/0002_broken failed/);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name").pluck().all();
    expect(tables).toEqual(['a', 'schema_migrations']);
    expect(db.prepare('SELECT version FROM schema_migrations').pluck().all()).toEqual([1]);
  });

  it('refuses a database migrated by a newer Teammate', () => {
    const db = openDatabase(':memory:');
    migrate(db);
    db.prepare("INSERT INTO schema_migrations (version, name) VALUES (9999, 'from_the_future')").run();
    expect(() => migrate(db)).toThrow(MigrationError);
    expect(() => migrate(db)).toThrow(/schema version 9999/);
  });

  it('rejects badly named files instead of skipping them silently', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, '1_init.sql'), 'SELECT 1;');
    expect(() => readMigrations(dir)).toThrow(/NNNN_snake_name/);
  });
});

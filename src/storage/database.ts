import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

export interface OpenDatabaseOptions {
  readonly readonly?: boolean;
  /** How long a writer waits for the lock before SQLITE_BUSY. */
  readonly busyTimeoutMs?: number;
}

/**
 * Opens (creating its folder) the SQLite database with the pragmas every connection needs:
 * WAL so readers never block the writer, a busy timeout so two processes (bot + CLI) can share it,
 * and foreign keys, which SQLite leaves off unless asked per connection.
 */
export function openDatabase(file: string, opts: OpenDatabaseOptions = {}): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file, { readonly: opts.readonly ?? false });
  db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 5000}`);
  if (!opts.readonly) {
    if (file !== ':memory:') db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('foreign_keys = ON');
  return db;
}

import type { ConversationStore } from '../qa/ports.js';
import type { Db } from './database.js';

/** Threads Teammate answers in (table from migrations/0001_init.sql). */
export function createConversationStore(db: Db, now: () => number = Date.now): ConversationStore {
  const select = db.prepare('SELECT repo_id FROM conversations WHERE channel = ? AND thread_ts = ?');
  const upsert = db.prepare(
    `INSERT INTO conversations (channel, thread_ts, repo_id, started_by, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (channel, thread_ts) DO UPDATE SET repo_id = excluded.repo_id, updated_at = excluded.updated_at`,
  );
  return {
    find(channel, threadTs) {
      const row = select.get(channel, threadTs) as { repo_id: string } | undefined;
      return row ? { repoId: row.repo_id } : undefined;
    },
    remember(c) {
      const at = now();
      upsert.run(c.channel, c.threadTs, c.repoId, c.startedBy ?? null, at, at);
    },
  };
}

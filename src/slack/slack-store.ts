/**
 * The Slack adapter's rows: threads Teammate takes part in, answers given and feedback on them
 * (tables from migrations/0001_init.sql).
 */
import type { Db } from '../storage/database.js';
import type { Citation } from '../qa/types.js';

export interface ConversationRow {
  readonly repoId: string;
}

export function findConversation(db: Db, channel: string, threadTs: string): ConversationRow | undefined {
  const row = db.prepare('SELECT repo_id FROM conversations WHERE channel = ? AND thread_ts = ?').get(channel, threadTs) as
    | { repo_id: string }
    | undefined;
  return row ? { repoId: row.repo_id } : undefined;
}

export function recordConversation(
  db: Db,
  c: { channel: string; threadTs: string; repoId: string; startedBy?: string; now?: number },
): void {
  const at = c.now ?? Date.now();
  db.prepare(
    `INSERT INTO conversations (channel, thread_ts, repo_id, started_by, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (channel, thread_ts) DO UPDATE SET repo_id = excluded.repo_id, updated_at = excluded.updated_at`,
  ).run(c.channel, c.threadTs, c.repoId, c.startedBy ?? null, at, at);
}

export interface AnswerRow {
  readonly channel: string;
  readonly threadTs: string;
  /** The asking message; absent for slash commands (no message to point at). */
  readonly questionTs?: string;
  readonly userId?: string;
  readonly repoId: string;
  readonly question: string;
  readonly answer: string;
  readonly citations: readonly Citation[];
  readonly mode: 'llm' | 'extractive' | 'error';
  readonly note?: string;
}

/** Stores an answer (one per asking message: a repeat replaces it) and returns its id. */
export function saveAnswer(db: Db, a: AnswerRow, now = Date.now()): number {
  const row = db
    .prepare(
      `INSERT INTO answers (surface, channel, thread_ts, question_ts, user_id, repo_id, question, answer, citations, mode, note, created_at)
       VALUES ('slack', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (channel, question_ts) WHERE question_ts IS NOT NULL DO UPDATE SET
         answer = excluded.answer, citations = excluded.citations, mode = excluded.mode, note = excluded.note
       RETURNING id`,
    )
    .get(
      a.channel,
      a.threadTs,
      a.questionTs ?? null,
      a.userId ?? null,
      a.repoId,
      a.question,
      a.answer,
      JSON.stringify(a.citations),
      a.mode,
      a.note ?? null,
      now,
    ) as { id: number };
  return row.id;
}

export function setAnswerMessageTs(db: Db, answerId: number, messageTs: string): void {
  db.prepare('UPDATE answers SET message_ts = ? WHERE id = ?').run(messageTs, answerId);
}

/** One vote per user and answer, the latest wins; false when the answer is unknown. */
export function saveFeedback(db: Db, f: { answerId: number; userId: string; value: 'up' | 'down' }, now = Date.now()): boolean {
  const exists = db.prepare('SELECT 1 FROM answers WHERE id = ?').get(f.answerId);
  if (!exists) return false;
  db.prepare(
    `INSERT INTO answer_feedback (answer_id, user_id, value, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (answer_id, user_id) DO UPDATE SET value = excluded.value, created_at = excluded.created_at`,
  ).run(f.answerId, f.userId, f.value, now);
  return true;
}

import type { AnswerStore, StoredAnswer } from '../qa/ports.js';
import type { Db } from './database.js';

interface AnswerRow {
  id: number;
  channel: string | null;
  user_id: string | null;
  message_ts: string | null;
  buttons_ts: string | null;
}

/** Answers and their feedback in SQLite (tables from migrations 0001 and 0006). */
export function createAnswerStore(db: Db, now: () => number = Date.now): AnswerStore {
  const insert = db.prepare(
    `INSERT INTO answers (surface, channel, thread_ts, question_ts, user_id, repo_id, question, answer, citations, mode, note, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (channel, question_ts) WHERE question_ts IS NOT NULL DO UPDATE SET
       answer = excluded.answer, citations = excluded.citations, mode = excluded.mode, note = excluded.note
     RETURNING id`,
  );
  const posted = db.prepare('UPDATE answers SET message_ts = ?, buttons_ts = ? WHERE id = ?');
  const byId = db.prepare('SELECT id, channel, user_id, message_ts, buttons_ts FROM answers WHERE id = ?');
  const vote = db.prepare(
    `INSERT INTO answer_feedback (answer_id, user_id, value, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (answer_id, user_id) DO UPDATE SET value = excluded.value, created_at = excluded.created_at`,
  );
  return {
    save(a) {
      const row = insert.get(
        a.surface,
        a.channel ?? null,
        a.threadTs ?? null,
        a.questionTs ?? null,
        a.userId ?? null,
        a.repoId,
        a.question,
        a.answer,
        JSON.stringify(a.citations),
        a.mode,
        a.note ?? null,
        now(),
      ) as { id: number };
      return row.id;
    },
    markPosted(answerId, p) {
      posted.run(p.firstTs, p.buttonsTs, answerId);
    },
    find(answerId): StoredAnswer | undefined {
      const r = byId.get(answerId) as AnswerRow | undefined;
      if (!r) return undefined;
      return { id: r.id, channel: r.channel ?? undefined, userId: r.user_id ?? undefined, messageTs: r.message_ts ?? undefined, buttonsTs: r.buttons_ts ?? undefined };
    },
    saveFeedback(f) {
      vote.run(f.answerId, f.userId, f.value, now());
    },
  };
}

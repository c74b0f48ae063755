/** channel_repositories (migrations/0010_job_slots.sql) behind the ChannelRepositoryStore port. */
import type { ChannelRepositoryRow, ChannelRepositoryStore } from '../repos/channel-repository.js';
import type { Db } from './database.js';

interface Row {
  channel: string;
  repo: string;
  set_by: string | null;
  set_at: number;
}

const toRow = (r: Row): ChannelRepositoryRow => ({ channel: r.channel, repoId: r.repo, setBy: r.set_by ?? undefined, setAt: r.set_at });

export function createChannelRepoStore(db: Db): ChannelRepositoryStore {
  const get = db.prepare('SELECT * FROM channel_repositories WHERE channel = ?');
  const set = db.prepare(
    `INSERT INTO channel_repositories (channel, repo, set_by, set_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (channel) DO UPDATE SET repo = excluded.repo, set_by = excluded.set_by, set_at = excluded.set_at`,
  );
  const clear = db.prepare('DELETE FROM channel_repositories WHERE channel = ?');
  const list = db.prepare('SELECT * FROM channel_repositories ORDER BY channel');
  return {
    get(channel) {
      const row = get.get(channel) as Row | undefined;
      return row ? toRow(row) : undefined;
    },
    set(r) {
      set.run(r.channel, r.repoId, r.setBy ?? null, r.setAt);
    },
    clear: (channel) => clear.run(channel).changes > 0,
    list: () => (list.all() as Row[]).map(toRow),
  };
}

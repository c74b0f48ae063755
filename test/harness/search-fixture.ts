/**
 * Ranking tests index a small git repository of their own and ask one question of it: this
 * builds the repository under `dir/name`, indexes it into a fresh in-memory database with the given
 * ranking constants, and returns the top files' paths.
 */
import path from 'node:path';
import { createLogger } from '../../src/logging/logger.js';
import { createCodeSearch } from '../../src/search/code-search.js';
import type { RankingTuning } from '../../src/search/ranking-tuning.js';
import { openDatabase } from '../../src/storage/database.js';
import { migrate } from '../../src/storage/migrate.js';
import { makeGitRepo } from './temp-repo.js';

export async function rankFixture(
  dir: string,
  name: string,
  files: Record<string, string>,
  query: string,
  tuning: Partial<RankingTuning> = {},
): Promise<string[]> {
  const root = path.join(dir, name);
  makeGitRepo(root, files);
  const db = openDatabase(':memory:');
  migrate(db);
  const search = createCodeSearch(db, createLogger({ level: 'silent' }), { tuning });
  const repo = { id: root, root, label: name };
  await search.index(repo);
  try {
    return (await search.search(repo, query, { limit: 5 })).map((h) => h.path);
  } finally {
    db.close();
  }
}

/** Python lines joined into a file. */
export const py = (...lines: string[]) => `${lines.join('\n')}\n`;

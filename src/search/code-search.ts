import type { Logger } from '../logging/logger.js';
import type { Repository } from '../repos/repository.js';
import type { Db } from '../storage/database.js';
import { indexInWorker, workerAvailable } from './index-in-worker.js';
import { indexRepository } from './index-repo.js';
import { type RankingTuning, resolveTuning } from './ranking-tuning.js';
import { searchIndex } from './search-index.js';
import type { CodeSearch, IndexedFile, IndexSummary, SymbolHit } from './types.js';

export interface CodeSearchOptions {
  /** Default number of hits when the caller gives no limit. */
  readonly defaultLimit?: number;
  /**
   * First-time indexing in a worker thread (own SQLite connection) so the event loop stays free.
   * Default: on for file databases when the compiled worker exists; in-process batches otherwise.
   */
  readonly worker?: boolean;
  /** Ranking constants to override (tests and benchmark experiments); checked, defaults otherwise. */
  readonly tuning?: Partial<RankingTuning>;
}

/**
 * The CodeSearch port over SQLite FTS5. Concurrent index() calls for one repository share one
 * run, so a Slack question and a scheduled refresh never index the same tree twice at once.
 */
export function createCodeSearch(db: Db, logger: Logger, opts: CodeSearchOptions = {}): CodeSearch {
  const running = new Map<string, Promise<IndexSummary>>();
  const tuning = resolveTuning(opts.tuning);
  const symbolsExact = db.prepare(
    `SELECT s.name, s.kind, f.path, s.start_line AS startLine, s.end_line AS endLine,
            CASE WHEN s.name = ? THEN 0 WHEN lower(s.name) = lower(?) THEN 1 ELSE 2 END AS rank_
     FROM code_symbols s JOIN code_files f ON f.id = s.file_id
     WHERE f.repo_id = ? AND s.name LIKE ? ESCAPE '\\'
     ORDER BY rank_, f.role != 'code', length(s.name), f.path, s.start_line LIMIT ?`,
  );
  const isIndexed = (repo: Repository) => db.prepare('SELECT 1 FROM code_repos WHERE repo_id = ?').get(repo.id) !== undefined;
  return {
    index(repo, indexOpts) {
      const existing = running.get(repo.id);
      if (existing) return existing;
      // A first index reads everything: worker. A refresh re-reads a few files, and starting a
      // worker (~0.3 s) would cost more than the work; its batches yield to the event loop.
      const useWorker = (opts.worker ?? true) && !db.memory && workerAvailable() && !isIndexed(repo);
      const work = useWorker
        ? indexInWorker(db.name, repo, { logLevel: logger.level, onProgress: indexOpts?.onProgress })
        : indexRepository(db, logger, repo, indexOpts);
      const run = work.finally(() => running.delete(repo.id));
      running.set(repo.id, run);
      return run;
    },
    async search(repo, query, searchOpts = {}) {
      return searchIndex(db, repo, query, { ...searchOpts, limit: searchOpts.limit ?? opts.defaultLimit ?? 10 }, tuning);
    },
    findSymbols(repo: Repository, name: string, symOpts: { limit?: number } = {}): SymbolHit[] {
      if (!name.trim()) return [];
      const like = `${name.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const rows = symbolsExact.all(name, name, repo.id, like, symOpts.limit ?? 20) as (SymbolHit & { rank_: number })[];
      return rows.map(({ rank_: _r, ...hit }) => hit);
    },
    listFiles(repo, listOpts = {}): IndexedFile[] {
      const under = listOpts.under?.replace(/^\.?\/+|\/+$/g, '');
      const rows = under
        ? db
            .prepare(`SELECT path, bytes FROM code_files WHERE repo_id = ? AND (path = ? OR substr(path, 1, ?) = ?) ORDER BY path LIMIT ?`)
            .all(repo.id, under, under.length + 1, `${under}/`, listOpts.limit ?? -1)
        : db.prepare('SELECT path, bytes FROM code_files WHERE repo_id = ? ORDER BY path LIMIT ?').all(repo.id, listOpts.limit ?? -1);
      return rows as IndexedFile[];
    },
    indexedCommit(repo) {
      const row = db.prepare('SELECT commit_sha FROM code_repos WHERE repo_id = ?').get(repo.id) as { commit_sha: string | null } | undefined;
      return row?.commit_sha ?? undefined;
    },
    isIndexed,
  };
}

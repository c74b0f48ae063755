import type { Repository } from '../repos/repository.js';

/** One search result: a line range of a file, best first. `path` is relative to the repository root. */
export interface SearchHit {
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly score: number;
  readonly snippet: string;
  /** With `explain`: why the hit ranked where it did (score parts and boosts). */
  readonly why?: string;
}

export interface SearchOptions {
  readonly limit?: number;
  /** Fill `SearchHit.why`. */
  readonly explain?: boolean;
}

export interface IndexProgress {
  readonly phase: 'listing' | 'indexing' | 'finishing';
  readonly done: number;
  readonly total: number;
}

export interface IndexSummary {
  readonly repoId: string;
  readonly commit: string | undefined;
  readonly files: number;
  readonly bytes: number;
  readonly indexedFiles: number;
  readonly removedFiles: number;
  readonly skippedFiles: number;
  readonly seconds: number;
}

/** A definition (function, class, method, exported symbol) found by the indexer. */
export interface SymbolHit {
  readonly name: string;
  /** function, class, method, interface, type, const, … (language-dependent). */
  readonly kind: string;
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
}

export interface IndexedFile {
  readonly path: string;
  readonly bytes: number;
}

/** Port the Q&A and scanners depend on; src/search implements it over SQLite FTS5. */
export interface CodeSearch {
  /** Brings the index of `repo` up to date with its working tree; re-reads only changed files. */
  index(repo: Repository, opts?: { onProgress?: (p: IndexProgress) => void }): Promise<IndexSummary>;
  /** Async because hybrid search embeds the query over the network; lexical search resolves at once. */
  search(repo: Repository, query: string, opts?: SearchOptions): Promise<SearchHit[]>;
  /** Definitions whose name matches `name` (exact first, then case-insensitive / prefix). */
  findSymbols(repo: Repository, name: string, opts?: { limit?: number }): SymbolHit[];
  /** Indexed files, optionally under a folder, sorted by path. */
  listFiles(repo: Repository, opts?: { under?: string; limit?: number }): IndexedFile[];
  /** The commit the index reflects, for permalinks. */
  indexedCommit(repo: Repository): string | undefined;
  /** Whether the repository has been indexed at least once. */
  isIndexed(repo: Repository): boolean;
}

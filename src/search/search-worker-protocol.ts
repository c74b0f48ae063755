import type { Repository } from '../repos/repository.js';
import type { SearchHit, SearchOptions } from './types.js';

/** What searchInWorker hands each search worker when it starts. */
export interface SearchWorkerData {
  readonly dbFile: string;
  readonly logLevel: string;
  readonly defaultLimit?: number;
}

export interface SearchRequest {
  readonly id: number;
  readonly repo: Repository;
  readonly query: string;
  readonly opts: SearchOptions;
}

export type SearchResponse = { readonly id: number; readonly hits: SearchHit[] } | { readonly id: number; readonly error: string };

import type { Repository } from '../repos/repository.js';
import type { SearchHit, SearchOptions } from './types.js';
import type { WarmUpReport } from './warm-rank-cache.js';

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

/** The index may have changed: warm the rank cache for its current version (reported when done). */
export interface WarmRequest {
  readonly warm: true;
}

export type SearchWorkerRequest = SearchRequest | WarmRequest;

export type SearchResponse = { readonly id: number; readonly hits: SearchHit[] } | { readonly id: number; readonly error: string };

/** Sent after each warm-up run, and in answer to a WarmRequest when the current version is already warm. */
export interface WarmedMessage {
  readonly warmed: WarmUpReport;
}

export type SearchWorkerReply = SearchResponse | WarmedMessage;

import type { Db } from './database.js';
import { indexVersion } from './index-version.js';

/** One ranked chunk: its rowid in code_fts (= code_chunks.id) and FTS5's bm25 value (negative, lower is better). */
export interface RankedChunk {
  readonly id: number;
  readonly s: number;
}

export interface RankChunksOptions {
  /** bm25() column weights of path and defs (body is 1, the repo column 0). */
  readonly wPath: number;
  readonly wDefs: number;
  /** An FTS5 expression every row must match as well (the repository filter), or none. */
  readonly filter?: string;
  readonly limit: number;
}

/** Postings kept across queries, about 12 bytes each (≈ 24 MB). */
const MAX_CACHED_POSTINGS = 2_000_000;
/** Rowids below this are mapped to slots by an array (4 bytes each at most: 16 MB). */
const DENSE_ROWIDS = 4_000_000;

/** One term's matching rows (as dense slots, ascending rowid) and its bm25 contribution in each. */
interface TermPostings {
  readonly slots: Int32Array;
  readonly scores: Float64Array;
}

/** Everything cached for one index version; dropped whole when the index changes. */
interface RankCache {
  version: string;
  /**
   * rowid → dense slot + 1 (0: none yet), so a query sums into a flat array, not a hash map;
   * rowids from DENSE_ROWIDS on (a database re-indexed many times) go through a map.
   */
  slotOf: Int32Array;
  readonly slotOfLarge: Map<number, number>;
  readonly rowidOf: number[];
  readonly terms: Map<string, TermPostings>;
  postings: number;
  sums: Float64Array;
  stamps: Int32Array;
  stamp: number;
}

const caches = new WeakMap<Db, RankCache>();

/**
 * The top `limit` chunks of `phrases` OR-ed, exactly as
 * `SELECT rowid, bm25(code_fts, 0, wPath, wDefs, 1) … WHERE code_fts MATCH 'p1 OR p2 …' ORDER BY 2 LIMIT n`
 * ranks them, in a fraction of the time once the terms have been seen.
 *
 * Why it is exact: FTS5's bm25 is a sum over the query's phrases, and a phrase's term in it
 * (idf × weighted frequency, saturated and length-normalised) depends only on that phrase, the row
 * and table-wide counts (row count, average length) — not on the other phrases. So each distinct
 * phrase is scored once on its own, over every row it matches, by FTS5 itself; a row's score is
 * then the sum of its phrases' terms, added in the query's phrase order starting from 0 as
 * fts5Bm25Function does (a phrase that does not match a row adds 0), which gives the same double,
 * bit for bit. Ties are broken by rowid.
 *
 * Why it is fast: FTS5 evaluates bm25 for every matching row with every phrase (a bug report has
 * ~80 phrases and matches most of a large repository), and a repeated phrase is evaluated again
 * for each repetition; here a distinct phrase is scored once per index version, and the words of
 * questions recur (error, config, plugin…), so a query mostly sums cached arrays. The cache is
 * keyed by the index version (index-version.ts), since every score depends on table-wide
 * counts that any index write changes. The first query after an index change pays about what the
 * single FTS5 query cost: each of its words is scored once, over every row it matches — unless
 * the search worker has warmed the cache meanwhile (warmRankChunks, search/warm-rank-cache.ts).
 */
export function rankChunks(db: Db, phrases: readonly string[], opts: RankChunksOptions): RankedChunk[] {
  if (phrases.length === 0 || opts.limit <= 0) return [];
  const version = indexVersion(db);
  const cache = cacheAt(db, version);
  const keyPrefix = cacheKeyPrefix(opts);
  const fetch = phraseFetcher(db, opts);
  // One read transaction: every phrase is scored against the same snapshot of the index.
  const lists = db.transaction(() => phrases.map((p) => termPostings(cache, keyPrefix + p, () => fetch(p))))();
  // Another connection may have committed since the version was read: keep nothing from this query.
  if (indexVersion(db) !== version) caches.delete(db);
  return topRows(cache, lists, opts.limit);
}

/**
 * Most postings a warm-up may fill the cache with: half of it, so that the words of real
 * questions (rare ones, never warmed) fit beside the warmed ones without evicting them, and the
 * warm-up itself never evicts what questions have used.
 */
export const WARM_CACHE_POSTINGS = MAX_CACHED_POSTINGS / 2;

/** What warmRankChunks did with one phrase. */
export type WarmOutcome =
  /** Scored and cached (postings: its matching rows), or already cached (0). */
  | { readonly cached: number }
  /** The index is no longer at `version`: nothing was kept. */
  | 'stale'
  /** The cache already holds WARM_CACHE_POSTINGS: nothing was scored. */
  | 'full';

/**
 * Scores `phrase` into the cache of index `version` exactly as rankChunks would on a miss (same
 * key, weights, filter and FTS5 statements), so a later query containing it sums cached scores.
 * For background warm-up after an index change; an entry already cached is left as is (its
 * recency belongs to the queries that used it).
 */
export function warmRankChunks(db: Db, phrase: string, opts: Omit<RankChunksOptions, 'limit'>, version: string): WarmOutcome {
  if (indexVersion(db) !== version) return 'stale';
  const cache = cacheAt(db, version);
  const key = cacheKeyPrefix(opts) + phrase;
  if (cache.terms.has(key)) return { cached: 0 };
  if (cache.postings >= WARM_CACHE_POSTINGS) return 'full';
  const fetch = phraseFetcher(db, opts);
  const entry = db.transaction(() => termPostings(cache, key, () => fetch(phrase)))();
  // The same check as rankChunks: a commit since the version was read may be in what was scored.
  if (indexVersion(db) !== version) {
    caches.delete(db);
    return 'stale';
  }
  return { cached: entry.slots.length };
}

/** The version and size of the cache a connection holds (tests and warm-up reports). */
export function rankCacheSize(db: Db): { version: string; terms: number; postings: number } | undefined {
  const cache = caches.get(db);
  return cache ? { version: cache.version, terms: cache.terms.size, postings: cache.postings } : undefined;
}

/** The connection's cache for `version`, a new empty one when the index has changed. */
function cacheAt(db: Db, version: string): RankCache {
  let cache = caches.get(db);
  if (!cache || cache.version !== version) {
    cache = newCache(version);
    caches.set(db, cache);
  }
  return cache;
}

/** Weights and filter are part of the key: a phrase's scores depend on both. */
function cacheKeyPrefix(opts: Omit<RankChunksOptions, 'limit'>): string {
  return `${opts.wPath}:${opts.wDefs}:${opts.filter ?? ''}\u0000`;
}

/** Scores one phrase over every row it matches (within the filter), with FTS5's own bm25. */
function phraseFetcher(db: Db, opts: Omit<RankChunksOptions, 'limit'>): (phrase: string) => TermRows {
  // Two flat columns cost ~25 % less than one query returning [rowid, score] rows: the row arrays
  // are most of the cost of reading a common word. Both walk the same doclist in rowid order.
  const rowids = db.prepare('SELECT rowid FROM code_fts WHERE code_fts MATCH ?').pluck();
  const bm25 = db.prepare(`SELECT bm25(code_fts, 0, ${Number(opts.wPath)}, ${Number(opts.wDefs)}, 1) FROM code_fts WHERE code_fts MATCH ?`).pluck();
  return (phrase) => {
    const match = opts.filter ? `${opts.filter} AND ${phrase}` : phrase;
    const ids = rowids.all(match) as number[];
    const scores = bm25.all(match) as number[];
    if (ids.length !== scores.length) throw new Error(`rank-chunks: ${phrase} changed between two reads of one snapshot`);
    return { ids, scores };
  };
}

/** One phrase's matching rows as FTS5 returns them: ascending rowid, bm25() (negative) per row. */
interface TermRows {
  readonly ids: readonly number[];
  readonly scores: readonly number[];
}

function newCache(version: string): RankCache {
  return { version, slotOf: new Int32Array(1024), slotOfLarge: new Map(), rowidOf: [], terms: new Map(), postings: 0, sums: new Float64Array(1024), stamps: new Int32Array(1024), stamp: 0 };
}

/** A phrase's postings from the cache, or scored by FTS5 and cached (least recently used evicted). */
function termPostings(cache: RankCache, key: string, fetch: () => TermRows): TermPostings {
  const hit = cache.terms.get(key);
  if (hit) {
    // Map order is insertion order: re-inserting marks the entry most recently used.
    cache.terms.delete(key);
    cache.terms.set(key, hit);
    return hit;
  }
  const rows = fetch();
  const n = rows.ids.length;
  const slots = new Int32Array(n);
  const scores = new Float64Array(n);
  let maxRowid = 0;
  for (const id of rows.ids) if (id > maxRowid && id < DENSE_ROWIDS) maxRowid = id;
  if (maxRowid >= cache.slotOf.length) {
    const grown = new Int32Array(Math.min(DENSE_ROWIDS, Math.max(maxRowid + 1, cache.slotOf.length * 2)));
    grown.set(cache.slotOf);
    cache.slotOf = grown;
  }
  const { slotOf, slotOfLarge, rowidOf } = cache;
  for (let i = 0; i < n; i++) {
    const rowid = rows.ids[i] as number;
    const dense = rowid >= 0 && rowid < DENSE_ROWIDS;
    let slot = (dense ? (slotOf[rowid] as number) : (slotOfLarge.get(rowid) ?? 0)) - 1;
    if (slot < 0) {
      slot = rowidOf.length;
      if (dense) slotOf[rowid] = slot + 1;
      else slotOfLarge.set(rowid, slot + 1);
      rowidOf.push(rowid);
    }
    slots[i] = slot;
    // bm25() returns -1 × the score; negation is exact.
    scores[i] = -(rows.scores[i] as number);
  }
  const entry = { slots, scores };
  cache.terms.set(key, entry);
  cache.postings += n;
  for (const [k, v] of cache.terms) {
    if (cache.postings <= MAX_CACHED_POSTINGS || k === key) break;
    cache.terms.delete(k);
    cache.postings -= v.slots.length;
  }
  return entry;
}

/** Sums each row's phrase scores in phrase order and keeps the best `limit` (score, then rowid). */
function topRows(cache: RankCache, lists: readonly TermPostings[], limit: number): RankedChunk[] {
  const n = cache.rowidOf.length;
  if (cache.sums.length < n) {
    const size = Math.max(n, cache.sums.length * 2);
    cache.sums = new Float64Array(size);
    cache.stamps = new Int32Array(size);
    cache.stamp = 0;
  }
  const { sums, stamps } = cache;
  const stamp = ++cache.stamp;
  const touched: number[] = [];
  for (const { slots, scores } of lists) {
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i] as number;
      if (stamps[slot] !== stamp) {
        stamps[slot] = stamp;
        sums[slot] = 0;
        touched.push(slot);
      }
      sums[slot] = (sums[slot] as number) + (scores[i] as number);
    }
  }
  let chosen = touched;
  if (touched.length > limit) {
    // Everything scoring at least the limit-th best score, then the exact order on those only.
    const values = new Float64Array(touched.length);
    for (let i = 0; i < touched.length; i++) values[i] = sums[touched[i] as number] as number;
    const cut = kthLargest(values, limit);
    chosen = touched.filter((slot) => (sums[slot] as number) >= cut);
  }
  const rowidOf = cache.rowidOf;
  chosen.sort((a, b) => (sums[b] as number) - (sums[a] as number) || (rowidOf[a] as number) - (rowidOf[b] as number));
  return chosen.slice(0, limit).map((slot) => ({ id: rowidOf[slot] as number, s: -(sums[slot] as number) }));
}

/** The k-th largest value (1-based) by quickselect; reorders `values`. */
export function kthLargest(values: Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  const target = k - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((values[i] as number) > pivot) i++;
      while ((values[j] as number) < pivot) j--;
      if (i <= j) {
        const t = values[i] as number;
        values[i] = values[j] as number;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  return values[target] as number;
}

import { WARM_CACHE_POSTINGS, type WarmOutcome } from '../storage/rank-chunks.js';
import type { RankingTuning } from './ranking-tuning.js';
import { repoToken } from './repo-key.js';
import { wordForms } from './select-terms.js';

/**
 * Terms in fewer chunks are not warmed: scoring one cold costs ~0.3 ms, mostly the fixed cost of
 * its two statements, against 6–17 ms for a term in 1,000–9,000 chunks (measured on babel,
 * 38k chunks), so caching them ahead would buy little and take many more cache entries.
 */
const MIN_WARM_DOCS = 64;
/** Vocabulary terms read per statement: a page of ~1,000 takes a few ms, so queries wait little. */
const TERMS_PAGE = 1000;

export interface WarmUpReport {
  /** The index version warmed (index-version.ts). */
  readonly version: string;
  /** Phrases scored into the cache, and their postings. */
  readonly terms: number;
  readonly postings: number;
  /** Wall time from start to end, pauses for queries included. */
  readonly ms: number;
  /** False when the index changed before the end (what was scored for the old version is gone). */
  readonly complete: boolean;
  /** Postings the connection's rank cache holds at the end (warmed and queried). */
  readonly cachePostings: number;
  /** Why the warm-up failed (queries are then as fast as without it). */
  readonly error?: string;
}

/** One term of the code index and the number of chunks (documents) it occurs in. */
export interface IndexTerm {
  readonly term: string;
  readonly docs: number;
}

/** What the warm-up needs of the code index and of one connection's rank cache (storage/rank-cache-index.ts). */
export interface WarmableIndex {
  /** The index version (index-version.ts): any index write changes it. */
  version(): string;
  /** Chunks in the index: what selectTerms divides a term's document count by. */
  chunks(): number;
  /** The vocabulary's terms after `after`, in term order, at most `limit`. */
  termsAfter(after: string, limit: number): readonly IndexTerm[];
  /** The repositories with files in the index. */
  repoIds(): readonly string[];
  /** Scores one phrase into the rank cache of `version`, keyed as queries key it (rank-chunks.ts). */
  warm(phrase: string, opts: { readonly wPath: number; readonly wDefs: number; readonly filter?: string }, version: string): WarmOutcome;
  /** Postings the rank cache holds for `version`. */
  cachedPostings(version: string): number;
}

export interface WarmUpOptions {
  /** The ranking constants the connection's queries use (weights, document-frequency cut, word forms). */
  readonly tune: RankingTuning;
  /** Awaited between two steps (a vocabulary page, a term) so that waiting queries run first. */
  readonly pause: () => Promise<void>;
  /** Hears each vocabulary page read at `version` (the term statistics keep the counts). */
  readonly onTerms?: (version: string, terms: readonly IndexTerm[]) => void;
}

/**
 * Fills the rank cache (rank-chunks.ts) of the index's current version with the terms that cost
 * most to score cold, so the first questions after an index change sum cached scores instead of
 * waiting for FTS5's bm25 over every row their common words match. Query-independent: the most
 * frequent terms a query can rank with (costlyTerms), most frequent first, for each repository's
 * filter exactly as searchIndex builds it, up to WARM_CACHE_POSTINGS.
 * Stops as soon as the index changes again. Results never change: a warmed entry is exactly what
 * a query would have scored and cached itself.
 */
export async function warmRankCache(index: WarmableIndex, opts: WarmUpOptions): Promise<WarmUpReport> {
  const t0 = performance.now();
  const version = index.version();
  let terms = 0;
  let postings = 0;
  const report = (complete: boolean): WarmUpReport => ({
    version,
    terms,
    postings,
    ms: performance.now() - t0,
    complete,
    cachePostings: index.cachedPostings(version),
  });

  const candidates = await costlyTerms(index, opts, version);
  if (!candidates) return report(false);
  const repos = index.repoIds();
  // searchIndex leaves the filter out when the database holds one repository (onlyRepository).
  const filters = repos.length === 1 ? [undefined] : repos.map((id) => `repo : ${repoToken(id)}`);
  const share = WARM_CACHE_POSTINGS / Math.max(1, filters.length);
  for (const filter of filters) {
    let warmed = 0;
    for (const { term } of candidates) {
      if (warmed >= share) break;
      await opts.pause();
      const outcome = index.warm(`"${term}"`, { wPath: opts.tune.wPath, wDefs: opts.tune.wDefs, ...(filter ? { filter } : {}) }, version);
      if (outcome === 'stale') return report(false);
      if (outcome === 'full') return report(true);
      if (outcome.cached > 0) terms++;
      warmed += outcome.cached;
      postings += outcome.cached;
    }
  }
  return report(true);
}

/**
 * The terms a query may rank with that are worth warming, most frequent first; undefined if the
 * index changed meanwhile. Those selectTerms can keep (in at most maxDf of the chunks), and the
 * more common word forms wordVariants adds to them whatever their frequency ("fixture" brings
 * "fixtures", in 77 % of babel's chunks): the costliest words a bug report pays for cold.
 */
async function costlyTerms(index: WarmableIndex, opts: WarmUpOptions, version: string): Promise<IndexTerm[] | undefined> {
  const total = index.chunks();
  // The same cut as selectTerms: every term counts in a small index.
  const keepable = (docs: number) => total < 500 || docs / total <= opts.tune.maxDf;
  const out: IndexTerm[] = [];
  const tooCommon = new Map<string, IndexTerm>();
  const forms = new Set<string>();
  let after = '';
  for (;;) {
    await opts.pause();
    if (index.version() !== version) return undefined;
    const page = index.termsAfter(after, TERMS_PAGE);
    // The page is from `version` only if the index is still there after the read (a commit by
    // another connection moves the version on); then its counts are the ones queries would read.
    if (index.version() !== version) return undefined;
    opts.onTerms?.(version, page);
    if (page.length === 0) break;
    for (const t of page) {
      // A quote cannot be written inside an FTS5 phrase as the queries write them ("term").
      if (t.term.includes('"')) continue;
      if (!keepable(t.docs)) tooCommon.set(t.term, t);
      else {
        if (t.docs >= MIN_WARM_DOCS) out.push(t);
        if (opts.tune.plurals) for (const f of wordForms(t.term, opts.tune)) forms.add(f);
      }
    }
    after = (page[page.length - 1] as IndexTerm).term;
  }
  for (const [term, t] of tooCommon) if (forms.has(term)) out.push(t);
  return out.sort((a, b) => b.docs - a.docs || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
}

import type { Db } from '../storage/database.js';
import type { ParsedQuery } from './parse-query.js';
import type { RankingTuning } from './ranking-tuning.js';
import { termStats } from './term-stats.js';

/**
 * The query's informative terms: present in the index (or present in another word form), not in
 * most chunks (those cost the most to rank and say the least), at most maxTerms, heavier then
 * rarer first. Returns the weights too, since a substituted form inherits its word's weight.
 */
export function selectTerms(db: Db, q: ParsedQuery, tune: RankingTuning): { terms: string[]; weights: Map<string, number> } {
  const stats = termStats(db);
  const total = stats.chunks;
  const df = new Map<string, number>();
  const weights = new Map(q.weights);
  const considered = q.terms.slice(0, 400);
  for (const t of considered) df.set(t, stats.df(t));
  // A word the code never uses may still appear in its other number ("services" → service).
  for (const [i, t] of considered.entries()) {
    if ((df.get(t) ?? 0) > 0) continue;
    for (const f of wordForms(t, tune)) {
      if (df.has(f)) continue;
      const n = stats.df(f);
      if (n === 0) continue;
      df.set(f, n);
      weights.set(f, weights.get(t) ?? 1);
      considered[i] = f;
      break;
    }
  }
  const present = considered.filter((t) => (df.get(t) ?? 0) > 0);
  // In a small index every word is "common"; the cut only makes sense with enough chunks.
  const informative = total < 500 ? present : present.filter((t) => (df.get(t) ?? 0) / total <= tune.maxDf);
  const ordered = (informative.length >= 3 ? informative : present).sort(
    (a, b) => (weights.get(b) ?? 1) - (weights.get(a) ?? 1) || (df.get(a) ?? 0) - (df.get(b) ?? 0),
  );
  // bm25 is computed for every chunk any term matches: bound the postings a query may touch so a
  // long bug report stays fast on a large repository (small ones never reach the budget).
  const out: string[] = [];
  let postings = 0;
  for (const t of ordered) {
    if (out.length >= tune.maxTerms) break;
    const n = df.get(t) ?? 0;
    if (out.length >= 8 && postings + n > tune.postings) continue;
    out.push(t);
    postings += n;
  }
  return { terms: out, weights };
}

/**
 * Word forms of the query's terms that exist in the index ("modules" finds expand_modules.py for
 * "module"): a stemmer's main win for code, without re-indexing.
 */
export function wordVariants(db: Db, terms: readonly string[], tune: RankingTuning): Map<string, string[]> {
  const stats = termStats(db);
  const seen = new Set(terms);
  const out = new Map<string, string[]>();
  for (const t of terms) {
    const found = wordForms(t, tune).filter((f) => !seen.has(f) && stats.df(f) > 0);
    for (const f of found) seen.add(f);
    if (found.length > 0) out.set(t, found);
  }
  return out;
}

/**
 * Other forms of a plain word (not of snake_case wholes or short words): the other grammatical
 * number, and the stem of -ing/-ed verbs ("ignored" → ignore, "collecting" → collect).
 */
export function wordForms(t: string, tune: RankingTuning): string[] {
  if (t.length < 4 || t.includes('_')) return [];
  // A prefixed word names the same thing as its base (deduplicated → duplicate, unregistered →
  // registered): the base joins with its own forms. Seven letters left at least, and only forms
  // the index holds are kept (wordVariants), so "description" brings nothing.
  const base = /^(?:de|un|dis|non|pre)(?=[a-z]{7,}$)/.exec(t);
  if (base) {
    const rest = t.slice(base[0].length);
    return [...inflections(t, tune), rest, ...inflections(rest, tune)];
  }
  return inflections(t, tune);
}

function inflections(t: string, tune: RankingTuning): string[] {
  if (tune.verbs && t.length >= 6 && t.endsWith('ing')) return [t.slice(0, -3), `${t.slice(0, -3)}e`];
  if (tune.verbs && t.length >= 5 && t.endsWith('ed')) return [t.slice(0, -2), t.slice(0, -1)];
  if (t.endsWith('ies')) return [`${t.slice(0, -3)}y`];
  if (t.endsWith('s') && !t.endsWith('ss')) return [t.slice(0, -1)];
  if (t.endsWith('y')) return [`${t.slice(0, -1)}ies`, `${t}s`];
  return [`${t}s`];
}

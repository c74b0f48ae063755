/**
 * Ranking constants, measured on the benchmarks (`npm run bench`: bug reports and Slack questions;
 * numbers in the search notes). They are plain data passed down the ranking, never read from the
 * environment: tests and benchmark experiments hand `createCodeSearch` a partial override, which
 * `resolveTuning` checks.
 */
export interface RankingTuning {
  /** bm25() column weights: path and definition names (body is 1, the repo column 0). */
  readonly wPath: number;
  readonly wDefs: number;
  /** Traceback-named definitions: cap of the summed name weight, and the boost per unit. */
  readonly defCap: number;
  readonly defW: number;
  /** A path the text names (or a stack-trace frame's file). */
  readonly pathW: number;
  /** Weight of a file's 2nd matching chunk (the 3rd and 4th get a half and a third of it). */
  readonly agg: number;
  /** Terms in more than this share of chunks are dropped (when enough others remain). */
  readonly maxDf: number;
  readonly maxTerms: number;
  /** The innermost traced file, and files containing a quoted error message. */
  readonly innerW: number;
  readonly messageW: number;
  /** Questions: boost of the file holding the definition whose name best matches the words asked. */
  readonly defMatchW: number;
  /** Share of that boost a test file gets when the question does not name the test (0: none). */
  readonly testDefMatch: number;
  /** Questions: boost per identifier the question names that the file defines (rarer names weigh more). */
  readonly namedDefW: number;
  /** Questions: how far a definition the question names lifts its file's role damping (1: fully, for a unique name). */
  readonly namedLiftsRole: number;
  /** Questions: boost of a file whose name is made of the words asked (times the squared share of its name covered). */
  readonly fileNameW: number;
  /** Role factor of documentation for a question or lookup (a bug report keeps ROLE_FACTOR's). */
  readonly questionDocRole: number;
  /** Role factor of test files when the text asks about tests (1: not damped). */
  readonly askedTestRole: number;
  /** Whether other word forms (number, -ing/-ed) join the query. */
  readonly plurals: boolean;
  readonly verbs: boolean;
  /** Most postings a query may touch (bm25 is computed for each). */
  readonly postings: number;
}

export const DEFAULT_TUNING: RankingTuning = {
  wPath: 6,
  wDefs: 4,
  defCap: 3,
  defW: 0.3,
  pathW: 1.5,
  agg: 0.45,
  maxDf: 0.25,
  maxTerms: 60,
  innerW: 1.5,
  messageW: 1.5,
  defMatchW: 0.5,
  testDefMatch: 0,
  namedDefW: 0.3,
  askedTestRole: 1,
  questionDocRole: 0.65,
  fileNameW: 0.3,
  namedLiftsRole: 0.3,
  plurals: true,
  verbs: true,
  postings: 100_000,
};

/** The defaults with `override` applied; a non-finite or negative number is a clear error. */
export function resolveTuning(override: Partial<RankingTuning> = {}): RankingTuning {
  const out = { ...DEFAULT_TUNING, ...override };
  for (const [k, v] of Object.entries(out)) {
    if (!(k in DEFAULT_TUNING)) throw new Error(`ranking tuning: unknown constant "${k}"`);
    if (typeof v === 'number' && !(Number.isFinite(v) && v >= 0)) throw new Error(`ranking tuning: ${k} must be a finite number ≥ 0, got ${v}`);
    if (typeof v !== typeof DEFAULT_TUNING[k as keyof RankingTuning]) throw new Error(`ranking tuning: ${k} must be a ${typeof DEFAULT_TUNING[k as keyof RankingTuning]}`);
  }
  return out;
}

/** Chunks ranked by FTS5 before aggregation to files. */
export const CANDIDATE_CHUNKS = 2000;

/** Multipliers by file role: a question about behaviour wants the implementation first. */
export const ROLE_FACTOR: Record<string, number> = { code: 1, test: 0.45, doc: 0.35, changelog: 0.35, example: 0.5, config: 0.5, script: 0.5, vendored: 0.3 };

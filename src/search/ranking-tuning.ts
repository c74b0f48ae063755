/**
 * Ranking constants, measured on the dev benchmark (`npm run bench`; numbers in the search notes).
 * A mentioned identifier is more often the API the reporter called than the place of the bug, so
 * only traceback functions boost their definitions; a file's other matching chunks add a little.
 * TEAMMATE_SEARCH_* environment overrides exist for benchmark experiments only.
 */
const envNum = (k: string, d: number) => (process.env[k] ? Number(process.env[k]) : d);

/** Column weights for bm25(): repo (filter only), path, definition names, body. */
export const W_PATH = envNum('TEAMMATE_SEARCH_W_PATH', 6);
export const W_DEFS = envNum('TEAMMATE_SEARCH_W_DEFS', 4);
export const W_BODY = 1;

export const TUNE = {
  defCap: envNum('TEAMMATE_SEARCH_DEF_CAP', 3),
  defW: envNum('TEAMMATE_SEARCH_DEF_WEIGHT', 0.3),
  pathW: envNum('TEAMMATE_SEARCH_PATH_BOOST', 1.5),
  agg: envNum('TEAMMATE_SEARCH_CHUNK_AGG', 0.45),
  maxDf: envNum('TEAMMATE_SEARCH_MAX_DF', 0.25),
  maxTerms: envNum('TEAMMATE_SEARCH_MAX_TERMS', 60),
  innerW: envNum('TEAMMATE_SEARCH_INNER_FRAME_BOOST', 1.5),
  messageW: envNum('TEAMMATE_SEARCH_MESSAGE_BOOST', 1.5),
  proseDefW: envNum('TEAMMATE_SEARCH_PROSE_DEF_WEIGHT', 0),
  plurals: envNum('TEAMMATE_SEARCH_PLURALS', 1),
  verbs: envNum('TEAMMATE_SEARCH_VERBS', 1),
  postings: envNum('TEAMMATE_SEARCH_MAX_POSTINGS', 100_000),
};

/** Chunks ranked by FTS5 before aggregation to files. */
export const CANDIDATE_CHUNKS = 2000;

/** Multipliers by file role: a question about behaviour wants the implementation first. */
export const ROLE_FACTOR: Record<string, number> = { code: 1, test: 0.45, doc: 0.35, example: 0.5, config: 0.5, script: 0.5, vendored: 0.3 };

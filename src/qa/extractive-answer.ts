import { scrubSecrets } from '../logging/scrub.js';
import { citationUrl } from '../repos/permalink.js';
import type { Repository } from '../repos/repository.js';
import { isSecretPath } from '../repos/secret-files.js';
import type { CodeSearch, SearchHit } from '../search/types.js';
import { renderCitation } from './citations.js';
import type { RepoFileReader } from './qa-tools.js';
import type { Answer, Citation } from './types.js';

export const NO_MODEL_NOTE = 'No model is configured (OPENAI_API_KEY is not set), so this is a list of the most relevant code rather than a written answer.';

export interface ExtractiveOptions {
  readonly repo: Repository;
  readonly search: CodeSearch;
  readonly readFile: RepoFileReader;
  readonly commit: string | undefined;
  readonly question: string;
  /** Why there is no written answer; returned as `Answer.note` (adapters show it apart from the text). */
  readonly note: string;
  readonly maxPlaces?: number;
  readonly snippetLines?: number;
}

/** Tests, fixtures and specs: shown after the code they exercise, since people ask about the code. */
export function isTestPath(p: string): boolean {
  return /(^|\/)(tests?|__tests__|spec|fixtures?|e2e)\//i.test(p) || /[._-](test|spec)\.[A-Za-z0-9]+$/i.test(p) || /(^|\/)test_[^/]+\.py$/.test(p);
}

/**
 * The best hit per file, best files first (five places in five files beat five hits in one),
 * source before tests; the search's order is kept within each group.
 */
export function bestHitPerFile(hits: readonly SearchHit[], max: number): SearchHit[] {
  const seen = new Set<string>();
  const unique: SearchHit[] = [];
  for (const h of hits) {
    if (seen.has(h.path) || isSecretPath(h.path)) continue;
    seen.add(h.path);
    unique.push(h);
  }
  return [...unique.filter((h) => !isTestPath(h.path)), ...unique.filter((h) => isTestPath(h.path))].slice(0, max);
}

/** A code block can't contain its own fence. */
const fenceSafe = (line: string) => line.replace(/```/g, '`\u200b``');

/**
 * The answer without a model (or when the model failed): the most relevant places with short
 * snippets and citations. Snippets are re-read from the file (confined, scrubbed) so the cited
 * lines are exactly the shown ones and exist.
 */
export async function buildExtractiveAnswer(opts: ExtractiveOptions): Promise<Answer> {
  const maxPlaces = opts.maxPlaces ?? 5;
  const snippetLines = opts.snippetLines ?? 12;
  let hits: SearchHit[];
  try {
    hits = bestHitPerFile(await opts.search.search(opts.repo, opts.question, { limit: 30 }), maxPlaces);
  } catch (err) {
    const reason = err instanceof Error ? scrubSecrets(err.message) : 'unknown error';
    return { text: `Searching ${opts.repo.label} failed: ${reason}`, citations: [], mode: 'extractive', note: opts.note };
  }

  const citations: Citation[] = [];
  const parts: string[] = [];
  for (const hit of hits) {
    const read = await opts.readFile(opts.repo, hit.path, { startLine: hit.startLine, endLine: Math.min(hit.endLine, hit.startLine + snippetLines - 1) });
    if (!read.ok) continue;
    const url = citationUrl(opts.repo, opts.commit, read.path, read.startLine, read.endLine);
    const citation: Citation = { path: read.path, startLine: read.startLine, endLine: read.endLine, ...(url ? { url } : {}) };
    citations.push(citation);
    const code = read.lines.map(fenceSafe).join('\n').trimEnd();
    parts.push(`${citations.length}. ${renderCitation(citation)}${code ? `\n\`\`\`\n${code}\n\`\`\`` : ''}`);
  }

  if (parts.length === 0) {
    return {
      text: `I found no code in ${opts.repo.label} matching that question. Try the name of a function, file or error message.`,
      citations: [],
      mode: 'extractive',
      note: opts.note,
    };
  }
  return {
    text: `The places in **${opts.repo.label}** that best match your question:\n\n${parts.join('\n\n')}`,
    citations,
    mode: 'extractive',
    note: opts.note,
  };
}

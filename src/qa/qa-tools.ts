import type { Logger } from '../logging/logger.js';
import { scrubSecrets } from '../logging/scrub.js';
import type { ToolCall, ToolSpec } from '../llm/types.js';
import type { Repository } from '../repos/repository.js';
import { isSecretPath } from '../repos/secret-files.js';
import type { CodeSearch } from '../search/types.js';
import { numberLines, type RepoFileContent } from './read-repo-file.js';

/** Reads a line range of a repository file, confined to its root; injectable for tests. */
export type RepoFileReader = (repo: Repository, path: string, range: { startLine?: number; endLine?: number }) => Promise<RepoFileContent>;

export const QA_TOOLS: readonly ToolSpec[] = [
  {
    name: 'search_code',
    description:
      'Full-text search over the repository code. Returns the best-matching line ranges as `path:start-end` with a snippet. Use identifiers, error messages or distinctive words.',
    parameters: {
      type: 'object',
      properties: {
        query: { type: 'string', description: 'words or identifiers to look for' },
        limit: { type: 'integer', minimum: 1, maximum: 20, description: 'how many hits (default 8)' },
      },
      required: ['query'],
      additionalProperties: false,
    },
  },
  {
    name: 'read_file',
    description: 'Read lines of a file (path relative to the repository root). Lines come numbered; at most 200 lines per call.',
    parameters: {
      type: 'object',
      properties: {
        path: { type: 'string' },
        startLine: { type: 'integer', minimum: 1 },
        endLine: { type: 'integer', minimum: 1 },
      },
      required: ['path'],
      additionalProperties: false,
    },
  },
  {
    name: 'list_files',
    description: 'List indexed files, optionally under a folder (e.g. `src/config`). Use it to see how the repository is organised.',
    parameters: {
      type: 'object',
      properties: { folder: { type: 'string', description: 'folder prefix; empty for the whole repository' } },
      additionalProperties: false,
    },
  },
  {
    name: 'find_symbol',
    description: 'Find where a function, class, type or constant is defined, by name.',
    parameters: {
      type: 'object',
      properties: { name: { type: 'string' } },
      required: ['name'],
      additionalProperties: false,
    },
  },
];

export interface ToolContext {
  readonly repo: Repository;
  readonly search: CodeSearch;
  readonly readFile: RepoFileReader;
  readonly logger: Logger;
  readonly onProgress?: (status: string) => void;
}

const MAX_TOOL_RESULT_CHARS = 12_000;

function parseArgs(raw: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(raw || '{}');
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
const int = (v: unknown): number | undefined => {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? Math.floor(n) : undefined;
};
const clampInt = (v: unknown, fallback: number, min: number, max: number) => Math.min(max, Math.max(min, int(v) ?? fallback));

async function runSearch(args: Record<string, unknown>, ctx: ToolContext): Promise<string> {
  const query = str(args.query);
  if (!query) return 'error: `query` is required';
  ctx.onProgress?.(`Searching for \`${query.slice(0, 80)}\`…`);
  const hits = (await ctx.search.search(ctx.repo, query, { limit: clampInt(args.limit, 8, 1, 20) })).filter((h) => !isSecretPath(h.path));
  if (hits.length === 0) return `no hits for "${query}"; try other words, a shorter query or find_symbol`;
  return hits.map((h) => `${h.path}:${h.startLine}-${h.endLine} (score ${h.score.toFixed(2)})\n${h.snippet.trimEnd()}`).join('\n\n');
}

async function runReadFile(args: Record<string, unknown>, ctx: ToolContext): Promise<string> {
  const path = str(args.path);
  if (!path) return 'error: `path` is required';
  const startLine = int(args.startLine);
  const endLine = int(args.endLine);
  ctx.onProgress?.(`Reading \`${path.slice(0, 120)}\`…`);
  const res = await ctx.readFile(ctx.repo, path, { ...(startLine ? { startLine } : {}), ...(endLine ? { endLine } : {}) });
  if (!res.ok) return `error: cannot read ${path}: ${res.error}`;
  const header = `${res.path} lines ${res.startLine}-${res.endLine} of ${res.totalLines}${res.truncated || res.endLine < res.totalLines ? ' (more available: call read_file with a later startLine)' : ''}`;
  return `${header}\n${numberLines(res.startLine, res.lines)}`;
}

async function runListFiles(args: Record<string, unknown>, ctx: ToolContext): Promise<string> {
  const folder = (str(args.folder) ?? '').replace(/^\.?\/+/, '').replace(/\/+$/, '');
  ctx.onProgress?.(folder ? `Listing \`${folder}/\`…` : 'Listing files…');
  const limit = 300;
  const files = ctx.search.listFiles(ctx.repo, { ...(folder ? { under: folder } : {}), limit: limit + 1 }).filter((f) => !isSecretPath(f.path));
  if (files.length === 0) return folder ? `no indexed files under ${folder}/` : 'no indexed files';
  const shown = files.slice(0, limit).map((f) => f.path);
  return files.length > limit ? `${shown.join('\n')}\n… more files; narrow the folder` : shown.join('\n');
}

async function runFindSymbol(args: Record<string, unknown>, ctx: ToolContext): Promise<string> {
  const name = str(args.name);
  if (!name) return 'error: `name` is required';
  ctx.onProgress?.(`Looking up \`${name.slice(0, 80)}\`…`);
  const defs = ctx.search.findSymbols(ctx.repo, name, { limit: 20 }).filter((d) => !isSecretPath(d.path));
  if (defs.length === 0) return `no definition named "${name}"; try search_code`;
  return defs.map((d) => `${d.kind} ${d.name} at ${d.path}:${d.startLine}-${d.endLine}`).join('\n');
}

const RUNNERS: Record<string, (args: Record<string, unknown>, ctx: ToolContext) => Promise<string>> = {
  search_code: runSearch,
  read_file: runReadFile,
  list_files: runListFiles,
  find_symbol: runFindSymbol,
};

/**
 * Runs one tool call and returns the text for the model. Errors become text too (the model can
 * recover from a bad path); every result is scrubbed of secrets and capped before it leaves.
 */
export async function runQaTool(call: ToolCall, ctx: ToolContext): Promise<string> {
  const runner = RUNNERS[call.name];
  let result: string;
  if (!runner) {
    result = `error: unknown tool "${call.name}"; available: ${Object.keys(RUNNERS).join(', ')}`;
  } else {
    const args = parseArgs(call.arguments);
    if (!args) {
      result = 'error: arguments must be a JSON object';
    } else {
      try {
        result = await runner(args, ctx);
      } catch (err) {
        ctx.logger.warn({ tool: call.name, err }, 'tool failed');
        result = `error: ${call.name} failed: ${err instanceof Error ? err.message : String(err)}`;
      }
    }
  }
  const scrubbed = scrubSecrets(result);
  return scrubbed.length > MAX_TOOL_RESULT_CHARS ? `${scrubbed.slice(0, MAX_TOOL_RESULT_CHARS)}\n… (truncated)` : scrubbed;
}

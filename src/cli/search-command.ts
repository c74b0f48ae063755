import fs from 'node:fs';
import type { Command } from 'commander';
import { buildServices } from '../app.js';
import type { SearchHit } from '../search/types.js';
import type { GlobalOptions } from './runtime.js';
import { CliUsageError, formatSummary, indexWithProgress, withRepoRuntime } from './index-command.js';

interface SearchFlags {
  readonly limit?: string;
  readonly json?: boolean;
  readonly queryFile?: string;
  readonly explain?: boolean;
}

export function registerSearchCommand(program: Command): void {
  program
    .command('search')
    .description('search the code index (indexes the repository first if it never was)')
    .argument('[query...]', 'what to look for: words, identifiers, an error message or a whole bug report')
    .option('--limit <n>', 'number of hits', '10')
    .option('--json', 'print a JSON array of {path, startLine, endLine, score, snippet} on stdout')
    .option('--query-file <file>', 'read the query from a file (e.g. a long bug report)')
    .option('--explain', 'show why each hit ranked where it did')
    .action(async (words: string[], flags: SearchFlags, cmd: Command) => {
      let query: string | undefined;
      try {
        query = readQuery(words, flags);
      } catch (err) {
        if (!(err instanceof CliUsageError)) throw err;
        process.stderr.write(`teammate search: ${err.message}\n`);
        process.exitCode = 2;
        return;
      }
      if (query === undefined) {
        process.stderr.write('teammate search: give a QUERY or --query-file FILE\n');
        process.exitCode = 2;
        return;
      }
      const limit = Number(flags.limit ?? '10');
      if (!Number.isInteger(limit) || limit < 1) {
        process.stderr.write('teammate search: --limit must be a positive integer\n');
        process.exitCode = 2;
        return;
      }
      const text = query;
      await withRepoRuntime(cmd.optsWithGlobals<GlobalOptions>(), async (runtime, repo) => {
        const { search, refresh } = buildServices(runtime);
        if (!search.isIndexed(repo)) {
          const summary = await indexWithProgress({ index: refresh }, repo);
          process.stderr.write(`${formatSummary(repo, summary)}\n`);
        }
        const hits = await search.search(repo, text, { limit, explain: flags.explain ?? false });
        process.stdout.write(flags.json ? `${JSON.stringify(hits.map(toJson), null, 2)}\n` : formatHits(hits));
      });
    });
}

function readQuery(words: readonly string[], flags: SearchFlags): string | undefined {
  if (flags.queryFile) {
    try {
      const text = fs.readFileSync(flags.queryFile, 'utf8');
      return text.trim() ? text : undefined;
    } catch (err) {
      throw new CliUsageError(`cannot read --query-file ${flags.queryFile}: ${(err as NodeJS.ErrnoException).code}`);
    }
  }
  const q = words.join(' ').trim();
  return q ? q : undefined;
}

function toJson(h: SearchHit) {
  return h.why === undefined
    ? { path: h.path, startLine: h.startLine, endLine: h.endLine, score: h.score, snippet: h.snippet }
    : { path: h.path, startLine: h.startLine, endLine: h.endLine, score: h.score, snippet: h.snippet, why: h.why };
}

function formatHits(hits: readonly SearchHit[]): string {
  if (hits.length === 0) return 'no matches\n';
  return hits
    .map((h, i) => {
      const head = `${i + 1}. ${h.path}:${h.startLine}-${h.endLine}  (score ${h.score.toFixed(2)})`;
      const why = h.why ? `\n   why: ${h.why}` : '';
      const body = h.snippet
        .split('\n')
        .map((l, j) => `   ${String(h.startLine + j).padStart(5)} | ${l}`)
        .join('\n');
      return `${head}${why}\n${body}\n`;
    })
    .join('\n');
}

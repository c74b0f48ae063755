/**
 * A small, honest implementation of our own CodeSearch port over a folder, for Q&A tests: word
 * matching instead of FTS5, regex definitions instead of a parser. Not a mock of a module.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Repository } from '../../src/repos/repository.js';
import { isSecretPath } from '../../src/repos/secret-files.js';
import type { CodeSearch, IndexedFile, SearchHit, SymbolHit } from '../../src/search/types.js';

function walk(root: string, dir = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.name === '.git' || entry.name === 'node_modules') continue;
    if (entry.isDirectory()) out.push(...walk(root, rel));
    else if (entry.isFile() && !isSecretPath(rel)) out.push(rel);
  }
  return out.sort();
}

export interface FakeCodeSearch extends CodeSearch {
  /** Every query passed to search(), for assertions. */
  readonly queries: string[];
}

export function createFakeCodeSearch(opts: { commit?: string } = {}): FakeCodeSearch {
  const indexed = new Set<string>();
  const queries: string[] = [];
  const files = (repo: Repository) => walk(repo.root);
  const lines = (repo: Repository, rel: string) => fs.readFileSync(path.join(repo.root, rel), 'utf8').split('\n');

  return {
    queries,
    async index(repo) {
      indexed.add(repo.id);
      const list = files(repo);
      return { repoId: repo.id, commit: opts.commit, files: list.length, bytes: 0, indexedFiles: list.length, removedFiles: 0, skippedFiles: 0, seconds: 0 };
    },
    async search(repo, query, o = {}) {
      queries.push(query);
      const words = query.toLowerCase().split(/[^a-z0-9_]+/).filter((w) => w.length >= 3);
      const hits: SearchHit[] = [];
      for (const rel of files(repo)) {
        const ls = lines(repo, rel);
        let best = -1;
        let bestScore = 0;
        ls.forEach((line, i) => {
          const lower = line.toLowerCase();
          const score = words.filter((w) => lower.includes(w)).length + (rel.toLowerCase().includes(words[0] ?? '\0') ? 0.5 : 0);
          if (score > bestScore) [best, bestScore] = [i, score];
        });
        if (best < 0) continue;
        const startLine = Math.max(1, best + 1 - 2);
        const endLine = Math.min(ls.length, best + 1 + 3);
        hits.push({ path: rel, startLine, endLine, score: bestScore, snippet: ls.slice(startLine - 1, endLine).join('\n') });
      }
      return hits.sort((a, b) => b.score - a.score || a.path.localeCompare(b.path)).slice(0, o.limit ?? 10);
    },
    findSymbols(repo, name, o = {}) {
      const out: SymbolHit[] = [];
      const re = new RegExp(`\\b(function|class|interface|type|const)\\s+(${name.replace(/[^\w$]/g, '')})\\b`);
      for (const rel of files(repo)) {
        lines(repo, rel).forEach((line, i) => {
          const m = re.exec(line);
          if (m) out.push({ name: m[2]!, kind: m[1]!, path: rel, startLine: i + 1, endLine: i + 1 });
        });
      }
      return out.slice(0, o.limit ?? 20);
    },
    listFiles(repo, o = {}) {
      const under = o.under ? `${o.under.replace(/\/$/, '')}/` : '';
      const list: IndexedFile[] = files(repo)
        .filter((f) => f.startsWith(under))
        .map((f) => ({ path: f, bytes: fs.statSync(path.join(repo.root, f)).size }));
      return list.slice(0, o.limit ?? list.length);
    },
    indexedCommit: () => opts.commit,
    isIndexed: (repo) => indexed.has(repo.id),
  };
}

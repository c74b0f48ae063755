import { describe, expect, it } from 'vitest';
import { findCitationRefs, linkCitations, unlinkCitationLabels } from '../../src/qa/citations.js';
import { githubRepo, localRepo } from './fixture-repo.js';

const SHA = 'a'.repeat(40);
const files: Record<string, number> = { 'src/config/load-config.ts': 12, 'README.md': 3 };
const resolveFile = async (p: string) => (files[p] ? { path: p, lineCount: files[p] } : undefined);

describe('findCitationRefs', () => {
  it('understands path:start-end, path:line, path#Lx-Ly and backticks, but not hosts, times or URLs', () => {
    const refs = findCitationRefs(
      'See `src/a.ts:10-20`, src/b.ts:7, lib/c.py#L3-L9 and d.go#L4. Not localhost:3000, 12:30, https://x.io/a.ts:5 or example:1.',
    );
    expect(refs.map((r) => [r.path, r.startLine, r.endLine])).toEqual([
      ['src/a.ts', 10, 20],
      ['src/b.ts', 7, 7],
      ['lib/c.py', 3, 9],
      ['d.go', 4, 4],
    ]);
  });
});

describe('linkCitations', () => {
  it('links valid citations to commit permalinks and drops invented ones', async () => {
    const text = 'Config is loaded in `src/config/load-config.ts:4-8` (src/nope.ts:1-3) and in README.md:9999 too. Docs: README.md:1';
    const res = await linkCitations(text, { repo: githubRepo('/x'), commit: SHA, resolveFile });
    const url = `https://github.com/acme/demo/blob/${SHA}/src/config/load-config.ts#L4-L8`;
    expect(res.text).toBe(`Config is loaded in [src/config/load-config.ts:4-8](${url}) and in too. Docs: [README.md:1](https://github.com/acme/demo/blob/${SHA}/README.md#L1)`);
    expect(res.citations).toEqual([
      { path: 'src/config/load-config.ts', startLine: 4, endLine: 8, url },
      { path: 'README.md', startLine: 1, endLine: 1, url: `https://github.com/acme/demo/blob/${SHA}/README.md#L1` },
    ]);
    expect(res.dropped.map((d) => d.path)).toEqual(['src/nope.ts', 'README.md']);
  });

  it('leaves no stray commas, brackets or conjunctions where invented citations were', async () => {
    const cases: [string, string][] = [
      ['See README.md:1, src/nope.ts:2, and src/gone.ts:3.', 'See `README.md:1`.'],
      ['See src/nope.ts:2, README.md:1 for details.', 'See `README.md:1` for details.'],
      ['Loaded there (README.md:1, src/nope.ts:2).', 'Loaded there (`README.md:1`).'],
      ['Loaded there (src/nope.ts:2, README.md:1).', 'Loaded there (`README.md:1`).'],
      ['Both README.md:1 and src/nope.ts:2 matter.', 'Both `README.md:1` matter.'],
      ['Files: src/nope.ts:1, src/gone.ts:2, README.md:1, src/lost.ts:3', 'Files: `README.md:1`'],
    ];
    for (const [text, expected] of cases) {
      const res = await linkCitations(text, { repo: localRepo('/x'), commit: undefined, resolveFile });
      expect(res.text).toBe(expected);
    }
  });

  it('clamps a range running past the end of the file', async () => {
    const res = await linkCitations('`src/config/load-config.ts:10-40`', { repo: githubRepo('/x'), commit: SHA, resolveFile });
    expect(res.citations).toMatchObject([{ startLine: 10, endLine: 12 }]);
  });

  it('keeps plain code text for local repositories, which have no URL', async () => {
    const res = await linkCitations('in src/config/load-config.ts:4-8.', { repo: localRepo('/x'), commit: undefined, resolveFile });
    expect(res.text).toBe('in `src/config/load-config.ts:4-8`.');
    expect(res.citations).toEqual([{ path: 'src/config/load-config.ts', startLine: 4, endLine: 8}]);
  });

  it('leaves fenced code blocks alone', async () => {
    const text = '```\nconst x = "src/nope.ts:1";\n```';
    const res = await linkCitations(text, { repo: localRepo('/x'), commit: undefined, resolveFile });
    expect(res.text).toBe(text);
    expect(res.citations).toEqual([]);
  });
});

describe('unlinkCitationLabels', () => {
  it('drops the model’s own links around citations (they are checked and linked by us), keeps other links and code', () => {
    const md = 'See [src/a.ts:1-2](https://evil.example/x) and [docs](https://x.io/d).\n```\n[src/b.ts:1](https://y)\n```';
    expect(unlinkCitationLabels(md)).toBe('See src/a.ts:1-2 and [docs](https://x.io/d).\n```\n[src/b.ts:1](https://y)\n```');
  });
});

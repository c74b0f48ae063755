import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../harness/cli.js';
import { makeGitRepo, makeTempDir } from '../harness/temp-repo.js';

// The scorer and the Q&A engineers use this contract through the built binary.
describe('teammate index / search CLI', () => {
  let tmp: { dir: string; cleanup: () => void };
  let root: string;
  let env: Record<string, string>;

  beforeAll(() => {
    tmp = makeTempDir('teammate-search-cli-');
    root = path.join(tmp.dir, 'repo');
    makeGitRepo(root, {
      'pkg/sessions.py': 'class Session:\n    def resolve_redirects(self, resp):\n        """Follow redirects."""\n        return resp\n',
      'pkg/utils.py': 'def parse_header_links(value):\n    return []\n',
      'tests/test_sessions.py': 'def test_redirects():\n    assert Session().resolve_redirects(1)\n',
    });
    env = { TEAMMATE_DB: path.join(tmp.dir, 'cli.db') };
  });
  afterAll(() => tmp.cleanup());

  it('search --json indexes a never-indexed repository first and prints only JSON on stdout', async () => {
    const r = await runCli(['search', '--repo', root, '--json', '--limit', '2', 'resolve redirects'], { env });
    expect(r.code).toBe(0);
    const hits = JSON.parse(r.stdout) as { path: string; startLine: number; endLine: number; score: number; snippet: string }[];
    expect(hits.length).toBe(2);
    // The hit cites the definition whose name the query spells out, not the class around it.
    expect(hits[0]).toMatchObject({ path: 'pkg/sessions.py', startLine: 2, endLine: 4 });
    expect(Object.keys(hits[0] ?? {}).sort()).toEqual(['endLine', 'path', 'score', 'snippet', 'startLine']);
    expect(hits[0]?.snippet).toContain('def resolve_redirects');
    expect(hits[0]?.score).toBeGreaterThanOrEqual(hits[1]?.score ?? Infinity);
    expect(r.stderr).toMatch(/indexed repo: 3 files/);
  });

  it('--query-file, --repo after the subcommand or before it, and --explain', async () => {
    const q = path.join(tmp.dir, 'q.txt');
    fs.writeFileSync(q, 'What does parse_header_links return?\n');
    const r = await runCli(['--repo', root, 'search', '--query-file', q, '--explain'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^1\. pkg\/utils\.py:1-2/);
    expect(r.stdout).toMatch(/why: bm25 [\d.]+ over \d+ chunk/);
  });

  it('index prints a summary line; re-running re-reads nothing', async () => {
    const r = await runCli(['index', '--repo', root], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/3 files, [\d.]+ MB in [\d.]+ s \([\d.]+ MB\/s\); 0 re-indexed, 0 removed, 0 skipped/);
  });

  it('exits 2 with a clear message without a query or with a missing repository', async () => {
    const none = await runCli(['search', '--repo', root, '--json'], { env });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/give a QUERY or --query-file/);
    expect(none.stdout).toBe('');
    const missing = await runCli(['index', '--repo', path.join(tmp.dir, 'nope')], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/does not exist/);
  });
});

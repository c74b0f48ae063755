import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recheckByExcerpt } from '../../src/proposals/recheck-excerpts.js';
import { readFileAtHead } from '../../src/repos/read-file-at-head.js';
import { gitIn, makeGitRepo, makeTempDir } from '../harness/temp-repo.js';
import { finding } from './fixtures.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function repo() {
  const { dir, cleanup } = makeTempDir('teammate-recheck-');
  cleanups.push(cleanup);
  makeGitRepo(dir, { 'src/send.ts': 'export function send() {\n  // FIXME: retry on 5xx\n  return post();\n}\n', 'src/other.ts': 'x\n' });
  return dir;
}

const todo = (excerpt: string, file = 'src/send.ts') => finding(1, { evidence: [{ path: file, startLine: 2, endLine: 2, excerpt }] });

describe('recheckByExcerpt over git HEAD', () => {
  it('finds the TODO on HEAD even after it moved and was re-indented; not once it is removed on HEAD', async () => {
    const dir = repo();
    const recheck = recheckByExcerpt((f) => readFileAtHead(dir, f));
    const f = todo('  // FIXME: retry on 5xx');
    expect(await recheck(f, undefined as never)).toBe(true);

    fs.writeFileSync(path.join(dir, 'src/send.ts'), '// header\n\nexport function send() {\n      // FIXME:   retry on 5xx\n  return post();\n}\n');
    gitIn(dir, 'commit', '-qam', 'move');
    expect(await recheck(f, undefined as never)).toBe(true);

    // Removed in the working tree only: HEAD still has it.
    fs.writeFileSync(path.join(dir, 'src/send.ts'), 'export function send() {\n  return retry(post);\n}\n');
    expect(await recheck(f, undefined as never)).toBe(true);
    gitIn(dir, 'commit', '-qam', 'fix');
    expect(await recheck(f, undefined as never)).toBe(false);
  });

  it('treats a deleted file as gone, nothing checkable as present, and a broken repository as an error', async () => {
    const dir = repo();
    const recheck = recheckByExcerpt((f) => readFileAtHead(dir, f));
    expect(await recheck(todo('// FIXME: retry on 5xx', 'src/gone.ts'), undefined as never)).toBe(false);
    expect(await recheck(finding(2, { evidence: [{ url: 'https://ci.example/run/1', label: 'job failed' }] }), undefined as never)).toBe(true);
    expect(await readFileAtHead(dir, '../etc/passwd')).toBeUndefined();
    const broken = recheckByExcerpt((f) => readFileAtHead(path.join(dir, 'nope'), f));
    await expect(broken(todo('// FIXME: retry on 5xx'), undefined as never)).rejects.toThrow(/git show failed/);
  });
});

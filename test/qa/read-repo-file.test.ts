import { afterAll, describe, expect, it } from 'vitest';
import { readRepoFile, resolveRepoPath } from '../../src/qa/read-repo-file.js';
import { FAKE_OPENAI_KEY, makeFixtureRepo } from './fixture-repo.js';

const fixture = makeFixtureRepo();
afterAll(() => fixture.cleanup());

describe('readRepoFile', () => {
  it('reads a clamped line range, numbered by the caller, with secrets scrubbed', async () => {
    const res = await readRepoFile(fixture.root, 'src/server.ts', { startLine: 2, endLine: 500 });
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res).toMatchObject({ path: 'src/server.ts', startLine: 2, endLine: 6, totalLines: 6 });
    expect(res.lines[0]).toContain('[REDACTED]');
    expect(res.lines.join('\n')).not.toContain(FAKE_OPENAI_KEY);
  });

  it('caps the lines returned in one read', async () => {
    const res = await readRepoFile(fixture.root, './src/config/load-config.ts', {}, { maxLines: 3, maxBytes: 10_000, maxFileBytes: 1_000_000 });
    expect(res).toMatchObject({ ok: true, startLine: 1, endLine: 3, totalLines: 12, truncated: true });
  });

  it.each([
    ['../outside/passwords.txt', /leaves the repository/],
    ['../../../../../../etc/passwd', /leaves the repository/],
    ['src/../../outside/passwords.txt', /leaves the repository/],
    ['/etc/passwd', /absolute/],
    ['.env', /secrets/],
    ['src/innocent.txt', /secrets/],
    ['src/escape.txt', /leaves the repository/],
    ['.git/config', /git internals/],
    ['src/missing.ts', /no such file/],
    ['src', /folder/],
  ])('refuses %s', async (requested, reason) => {
    const res = await readRepoFile(fixture.root, requested);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error).toMatch(reason);
  });

  it('refuses an absolute path even when it points inside the repository', async () => {
    const res = await resolveRepoPath(fixture.root, `${fixture.root}/src/server.ts`);
    expect(res).toMatchObject({ ok: false });
  });
});

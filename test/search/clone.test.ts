import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syncGithubRepository } from '../../src/repos/clone.js';
import type { Repository } from '../../src/repos/repository.js';
import { gitIn, makeGitRepo, makeTempDir } from '../harness/temp-repo.js';

const TOKEN = `ghp_${'Z9y8X7w6V5'.repeat(4)}`;

describe('GitHub repository clone and refresh', () => {
  let tmp: { dir: string; cleanup: () => void };
  let remote: string;
  let upstream: string;
  let repo: Repository;

  beforeEach(() => {
    tmp = makeTempDir('teammate-clone-');
    upstream = path.join(tmp.dir, 'upstream');
    makeGitRepo(upstream, { 'src/app.py': 'def main():\n    pass\n' });
    remote = path.join(tmp.dir, 'remote.git');
    gitIn(tmp.dir, 'clone', '-q', '--bare', upstream, remote);
    repo = {
      id: 'acme/app',
      root: path.join(tmp.dir, 'data', 'repos', 'acme', 'app'),
      label: 'acme/app',
      github: { owner: 'acme', name: 'app', webUrl: 'https://github.example.com' },
    };
  });
  afterEach(() => tmp.cleanup());

  it('clones under the data dir, then fetches new commits, never writing the token to disk', async () => {
    const first = await syncGithubRepository(repo, { token: TOKEN, remoteUrl: `file://${remote}` });
    expect(first.cloned).toBe(true);
    expect(fs.readFileSync(path.join(repo.root, 'src/app.py'), 'utf8')).toContain('def main');

    fs.writeFileSync(path.join(upstream, 'src/new.py'), 'def added():\n    pass\n');
    gitIn(upstream, 'add', '-A');
    gitIn(upstream, 'commit', '-q', '-m', 'add new');
    gitIn(upstream, 'push', '-q', remote, 'HEAD:main');

    const second = await syncGithubRepository(repo, { token: TOKEN, remoteUrl: `file://${remote}` });
    expect(second.cloned).toBe(false);
    expect(fs.existsSync(path.join(repo.root, 'src/new.py'))).toBe(true);
    expect(gitIn(repo.root, 'rev-parse', 'HEAD').trim()).toBe(gitIn(upstream, 'rev-parse', 'HEAD').trim());

    const config = fs.readFileSync(path.join(repo.root, '.git', 'config'), 'utf8');
    expect(config).not.toContain(TOKEN);
    expect(config).not.toContain(Buffer.from(`x-access-token:${TOKEN}`).toString('base64'));
    expect(config).not.toMatch(/extraheader/i);
    expect(fs.readdirSync(path.dirname(repo.root))).toEqual(['app']); // no half-finished clone left
  });

  it('refuses a repository that is not from GitHub', async () => {
    await expect(syncGithubRepository({ id: '/x', root: '/x', label: 'x' })).rejects.toThrow(/not a GitHub repository/);
  });
});

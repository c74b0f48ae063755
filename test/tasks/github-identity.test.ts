import { afterEach, describe, expect, it } from 'vitest';
import { parseGitHubRemote, resolveGitHubIdentity } from '../../src/repos/github-identity.js';
import { cleanupTempDirs, gitRepoWithOrigin } from './fixtures.js';

afterEach(cleanupTempDirs);

describe("a repository's GitHub identity from its origin remote", () => {
  const gh = { owner: 'acme', name: 'widgets', webUrl: 'https://github.com' };
  it.each([
    ['https://github.com/acme/widgets.git'],
    ['https://github.com/acme/widgets'],
    ['https://x-access-token:abc@github.com/acme/widgets.git'],
    ['git@github.com:acme/widgets.git'],
    ['ssh://git@github.com/acme/widgets.git'],
    ['github.com:acme/widgets'],
  ])('%s → acme/widgets', (remote) => {
    expect(parseGitHubRemote(remote, 'https://github.com')).toEqual(gh);
  });

  it('accepts the GITHUB_WEB_URL host (GitHub Enterprise) and links there', () => {
    expect(parseGitHubRemote('git@ghe.example.com:team/api.git', 'https://ghe.example.com')).toEqual({ owner: 'team', name: 'api', webUrl: 'https://ghe.example.com' });
    expect(parseGitHubRemote('https://ghe.example.com/team/api', 'https://ghe.example.com/')).toEqual({ owner: 'team', name: 'api', webUrl: 'https://ghe.example.com' });
  });

  it('refuses other hosts and paths that are not owner/name', () => {
    expect(parseGitHubRemote('git@gitlab.com:acme/widgets.git', 'https://github.com')).toBeUndefined();
    expect(parseGitHubRemote('https://github.com/acme/widgets/tree/main', 'https://github.com')).toBeUndefined();
    expect(parseGitHubRemote('/srv/git/widgets.git', 'https://github.com')).toBeUndefined();
  });

  it('reads origin of a real repository; a configured owner/name wins; no origin → none', async () => {
    const dir = gitRepoWithOrigin('git@github.com:acme/widgets.git');
    expect(await resolveGitHubIdentity({ id: dir, root: dir, label: 'widgets' }, 'https://github.com')).toEqual(gh);
    const configured = { owner: 'o', name: 'n', webUrl: 'https://github.com' };
    expect(await resolveGitHubIdentity({ id: 'o/n', root: dir, label: 'o/n', github: configured }, 'https://github.com')).toBe(configured);
    expect(await resolveGitHubIdentity({ id: '/nonexistent', root: '/nonexistent', label: 'x' }, 'https://github.com')).toBeUndefined();
  });
});

/**
 * A repository's GitHub identity (`owner/name`): the one TEAMMATE_REPOS gave, or, for a local
 * path, parsed from its `origin` remote — on github.com or the GITHUB_WEB_URL host, in https
 * (`https://host/owner/name(.git)`) or ssh (`git@host:owner/name.git`, `ssh://git@host/owner/name`) form.
 */
import { git } from './git.js';
import type { Repository } from './repository.js';

export interface GitHubIdentity {
  readonly owner: string;
  readonly name: string;
  readonly webUrl: string;
}

const SCP_LIKE = /^(?:[^@/\s]+@)?([^:/\s]+):\/?([A-Za-z0-9][A-Za-z0-9-]*)\/([A-Za-z0-9._-]+?)(?:\.git)?\/?$/;

/** `owner/name` from a remote URL when its host is github.com or `webUrl`'s host; else undefined. */
export function parseGitHubRemote(remote: string, webUrl: string): GitHubIdentity | undefined {
  const raw = remote.trim();
  const hosts = new Set(['github.com', hostOf(webUrl)].filter(Boolean).map((h) => h!.toLowerCase()));
  let host: string | undefined;
  let owner: string | undefined;
  let name: string | undefined;
  if (/^[a-z+]+:\/\//i.test(raw)) {
    let u: URL;
    try {
      u = new URL(raw);
    } catch {
      return undefined;
    }
    host = u.hostname;
    const m = /^\/([A-Za-z0-9][A-Za-z0-9-]*)\/([A-Za-z0-9._-]+?)(?:\.git)?\/?$/.exec(u.pathname);
    if (m) [owner, name] = [m[1], m[2]];
  } else {
    const m = SCP_LIKE.exec(raw);
    if (m) [host, owner, name] = [m[1], m[2], m[3]];
  }
  if (!host || !owner || !name || !hosts.has(host.toLowerCase())) return undefined;
  const web = host.toLowerCase() === hostOf(webUrl)?.toLowerCase() ? webUrl.replace(/\/$/, '') : 'https://github.com';
  return { owner, name, webUrl: web };
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

/** The repository's identity: configured, or read from `git remote get-url origin` (undefined when none). */
export async function resolveGitHubIdentity(repo: Repository, webUrl: string): Promise<GitHubIdentity | undefined> {
  if (repo.github) return repo.github;
  let remote: string;
  try {
    remote = await git(repo.root, ['remote', 'get-url', 'origin']);
  } catch {
    return undefined;
  }
  return parseGitHubRemote(remote, webUrl);
}

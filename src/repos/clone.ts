import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logging/logger.js';
import { git } from './git.js';
import type { Repository } from './repository.js';

export interface SyncOptions {
  readonly token?: string;
  readonly logger?: Logger;
  /** Clone from here instead of `<webUrl>/<owner>/<name>.git` (tests use a local bare remote). */
  readonly remoteUrl?: string;
}

/**
 * Clones a GitHub repository into `repo.root` on first use and fetches + fast-forwards the working
 * tree on later calls. The token travels as an http.extraHeader through GIT_CONFIG_* environment
 * variables of the git child only: it is never written to .git/config, the remote URL, the
 * command line (visible in `ps`) or a log line.
 */
export async function syncGithubRepository(repo: Repository, opts: SyncOptions = {}): Promise<{ cloned: boolean }> {
  if (!repo.github) throw new Error(`${repo.label} is not a GitHub repository`);
  const url = opts.remoteUrl ?? `${repo.github.webUrl.replace(/\/+$/, '')}/${repo.github.owner}/${repo.github.name}.git`;
  const env = authEnv(opts.token);
  if (!fs.existsSync(path.join(repo.root, '.git'))) {
    fs.mkdirSync(path.dirname(repo.root), { recursive: true });
    opts.logger?.info({ repo: repo.id }, 'cloning repository');
    // Clone into a temporary sibling then rename, so a half-finished clone is never mistaken for one.
    const tmp = `${repo.root}.partial-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    await git(path.dirname(repo.root), ['clone', '--quiet', '--no-tags', url, tmp], { env });
    fs.renameSync(tmp, repo.root);
    return { cloned: true };
  }
  opts.logger?.debug({ repo: repo.id }, 'fetching repository');
  await git(repo.root, ['fetch', '--quiet', '--no-tags', '--prune', 'origin'], { env });
  // The clone is ours alone (under the data dir): follow the remote's default branch exactly.
  await git(repo.root, ['reset', '--quiet', '--hard', 'origin/HEAD'], { env });
  return { cloned: false };
}

/** The token as an http.extraHeader in GIT_CONFIG_* variables of one git child: never on disk or argv. */
export function authEnv(token: string | undefined): Record<string, string> {
  if (!token) return {};
  const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
  return { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'http.extraHeader', GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}` };
}

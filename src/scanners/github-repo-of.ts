import type { Repository } from '../repos/repository.js';
import { type GitHubRepoRef, type GitHubScanPort, type ScanContext, ScanSkipped } from './types.js';

/** The GitHub port and `owner/name` of a repository, or ScanSkipped saying why there are none. */
export function gitHubRepoOf(repo: Repository, ctx: ScanContext, what: string): { github: GitHubScanPort; ref: GitHubRepoRef } {
  if (!repo.github) throw new ScanSkipped(`not a GitHub repository (${what} are read from GitHub)`);
  if (!ctx.github) throw new ScanSkipped('no GitHub client configured (set GITHUB_TOKEN)');
  return { github: ctx.github, ref: { owner: repo.github.owner, name: repo.github.name } };
}

import type { Repository } from './repository.js';

/**
 * Where a citation points: a GitHub blob permalink pinned to the commit for GitHub repositories
 * (stable even after the file changes); undefined for local ones, which have no URL.
 */
export function citationUrl(repo: Repository, commit: string | undefined, file: string, startLine: number, endLine: number): string | undefined {
  if (!repo.github || !commit) return undefined;
  const { webUrl, owner, name } = repo.github;
  const anchor = endLine > startLine ? `#L${startLine}-L${endLine}` : `#L${startLine}`;
  const encodedPath = file.split('/').map(encodeURIComponent).join('/');
  return `${webUrl}/${owner}/${name}/blob/${commit}/${encodedPath}${anchor}`;
}

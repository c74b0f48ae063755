import { createHash } from 'node:crypto';

/** The FTS token that confines a query to one repository (ids are paths or owner/name: not tokens). */
export function repoToken(repoId: string): string {
  return `repo_${createHash('sha1').update(repoId).digest('hex').slice(0, 12)}`;
}

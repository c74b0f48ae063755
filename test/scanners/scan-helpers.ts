import { createLogger } from '../../src/logging/logger.js';
import { createScanGit } from '../../src/repos/scan-git.js';
import type { Repository } from '../../src/repos/repository.js';
import type { ScanDeps } from '../../src/scanners/run-scan.js';
import type { Scanner } from '../../src/scanners/types.js';
import { openDatabase, type Db } from '../../src/storage/database.js';
import { migrate } from '../../src/storage/migrate.js';
import { createScanStateStore } from '../../src/storage/scan-state-store.js';

export const FIXED_NOW = new Date('2026-06-01T12:00:00Z');

/** Real SQLite state and real git, with a counter of the blobs the scanners read. */
export function scanDeps(scanners: readonly Scanner[], extra: Partial<ScanDeps> = {}): { deps: ScanDeps; db: Db; blobsRead: () => number } {
  const db = openDatabase(':memory:');
  migrate(db);
  let read = 0;
  const deps: ScanDeps = {
    scanners,
    state: createScanStateStore(db),
    gitFor: (repo) => createScanGit(repo.root, { onBlobsRead: (n) => (read += n) }),
    logger: createLogger({ level: 'silent' }),
    clock: { now: () => FIXED_NOW },
    ...extra,
  };
  return { deps, db, blobsRead: () => read };
}

export function localRepo(root: string, github?: { owner: string; name: string }): Repository {
  return github
    ? { id: `${github.owner}/${github.name}`, root, label: `${github.owner}/${github.name}`, github: { ...github, webUrl: 'https://github.com' } }
    : { id: root, root, label: 'fixture' };
}

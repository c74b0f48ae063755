import path from 'node:path';
import type { RepoSpec } from '../config/load-config.js';

/** A codebase Teammate watches: a local working tree, possibly mirroring a GitHub repository. */
export interface Repository {
  /** Stable key used in every table: `owner/name` for GitHub, the absolute path for local ones. */
  readonly id: string;
  /** Working tree on this machine (for GitHub repositories: the clone under the data dir). */
  readonly root: string;
  /** Short name for people: `owner/name` or the folder name. */
  readonly label: string;
  /** Set for GitHub repositories: citations become permalinks. */
  readonly github?: { readonly owner: string; readonly name: string; readonly webUrl: string };
}

export function repositoryFromSpec(spec: RepoSpec, ctx: { dataDir: string; githubWebUrl: string }): Repository {
  if (spec.kind === 'local') {
    const root = path.resolve(spec.path);
    return { id: root, root, label: path.basename(root) };
  }
  const id = `${spec.owner}/${spec.name}`;
  return {
    id,
    root: path.join(ctx.dataDir, 'repos', spec.owner, spec.name),
    label: id,
    github: { owner: spec.owner, name: spec.name, webUrl: ctx.githubWebUrl },
  };
}

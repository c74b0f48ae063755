/**
 * Which repository a Slack channel is about: set with `/teammate repo owner/name|PATH` in the
 * channel, used for its questions, scans and digests. Only repositories Teammate already watches
 * (TEAMMATE_REPOS) can be chosen: anyone in a channel may type the command, and a free path would
 * let them make Teammate read any folder on its server.
 */
import path from 'node:path';
import { parseRepoSpec } from '../config/load-config.js';
import type { Repository } from './repository.js';

export interface ChannelRepositoryRow {
  readonly channel: string;
  /** Repository.id: `owner/name` or an absolute path. */
  readonly repoId: string;
  readonly setBy?: string;
  /** Unix ms. */
  readonly setAt: number;
}

/** The port; SQL in src/storage/channel-repo-store.ts. */
export interface ChannelRepositoryStore {
  get(channel: string): ChannelRepositoryRow | undefined;
  set(row: ChannelRepositoryRow): void;
  clear(channel: string): boolean;
  list(): ChannelRepositoryRow[];
}

export interface ChannelRepositoryDeps {
  readonly store: ChannelRepositoryStore;
  /** The configured repositories (TEAMMATE_REPOS). */
  readonly repos: readonly Repository[];
  /** Slack user IDs who may change the mapping (TEAMMATE_ADMINS); empty: anyone. */
  readonly admins: readonly string[];
  readonly isDirectory: (p: string) => boolean;
  readonly now?: () => number;
}

export type SetChannelRepositoryResult =
  | { readonly ok: true; readonly repo: Repository; readonly previous?: string }
  | { readonly ok: true; readonly cleared: boolean }
  | { readonly ok: false; readonly reason: string; readonly fix: string };

const CLEAR_WORDS = new Set(['clear', 'none', 'off', 'unset']);

/**
 * Resolves what was typed to a watched repository: its label (`api`, `acme/api`), `owner/name`
 * (a GitHub URL too), or the absolute path of a local one. Relative paths mean nothing in Slack.
 */
export function resolveRepositorySpec(
  typed: string,
  repos: readonly Repository[],
  isDirectory: (p: string) => boolean,
): { ok: true; repo: Repository } | { ok: false; reason: string; fix: string } {
  const text = typed.trim().replace(/^`+|`+$/g, '').replace(/^<(.+?)(\|.*)?>$/, '$1'); // Slack wraps links in <…>
  const watched = repos.length > 0 ? repos.map((r) => `\`${r.label}\``).join(', ') : 'none';
  const byLabel = repos.find((r) => r.label.toLowerCase() === text.toLowerCase());
  if (byLabel) return { ok: true, repo: byLabel };
  if (!path.isAbsolute(text) && !text.includes('/')) {
    return { ok: false, reason: `\`${text}\` is not a repository I watch.`, fix: `Use owner/name or an absolute path; watched: ${watched}.` };
  }
  const spec = parseRepoSpec(text, { cwd: '/', homeDir: '/nonexistent' });
  if (typeof spec === 'string') return { ok: false, reason: `I can't read \`${text}\`: ${spec}.`, fix: 'Use owner/name (acme/api) or an absolute path (/srv/code/api).' };
  if (spec.kind === 'local' && !path.isAbsolute(text)) {
    return { ok: false, reason: `\`${text}\` is a relative path, which means nothing from Slack.`, fix: 'Give the absolute path on the machine Teammate runs on.' };
  }
  if (spec.kind === 'local' && !isDirectory(spec.path)) {
    return { ok: false, reason: `There is no folder \`${spec.path}\` on the machine Teammate runs on.`, fix: 'Check the path (it is read where Teammate runs, not on your computer).' };
  }
  const id = spec.kind === 'github' ? `${spec.owner}/${spec.name}` : path.resolve(spec.path);
  const repo = repos.find((r) => (spec.kind === 'github' ? r.id.toLowerCase() === id.toLowerCase() : r.id === id));
  if (!repo) {
    return {
      ok: false,
      reason: `\`${text}\` is not one of the repositories I watch (${watched}).`,
      fix: 'Ask whoever runs Teammate to add it to TEAMMATE_REPOS and restart; then set it here.',
    };
  }
  return { ok: true, repo };
}

/** `/teammate repo SPEC` in a channel: maps the channel to that repository (or `clear`s it). */
export function setChannelRepository(deps: ChannelRepositoryDeps, input: { channel: string; user: string; spec: string }): SetChannelRepositoryResult {
  if (deps.admins.length > 0 && !deps.admins.includes(input.user)) {
    return { ok: false, reason: "Only Teammate's admins can change this channel's repository.", fix: `Ask one of them: ${deps.admins.map((a) => `<@${a}>`).join(', ')}.` };
  }
  if (CLEAR_WORDS.has(input.spec.trim().toLowerCase())) return { ok: true, cleared: deps.store.clear(input.channel) };
  const resolved = resolveRepositorySpec(input.spec, deps.repos, deps.isDirectory);
  if (!resolved.ok) return resolved;
  const previous = deps.store.get(input.channel)?.repoId;
  deps.store.set({ channel: input.channel, repoId: resolved.repo.id, setBy: input.user, setAt: (deps.now ?? Date.now)() });
  return { ok: true, repo: resolved.repo, previous: previous !== resolved.repo.id ? previous : undefined };
}

export type ChannelRepositoryView =
  | { readonly source: 'channel'; readonly repo: Repository; readonly setBy?: string; readonly setAt: number }
  /** The channel names a repository no longer watched: the default applies until it is set again. */
  | { readonly source: 'stale'; readonly staleId: string; readonly repo?: Repository }
  | { readonly source: 'default'; readonly repo?: Repository };

/** What `/teammate repo` alone shows, and what questions, scans and digests in the channel use. */
export function channelRepository(deps: Pick<ChannelRepositoryDeps, 'store' | 'repos'>, channel: string): ChannelRepositoryView {
  const row = deps.store.get(channel);
  const fallback = deps.repos[0];
  if (!row) return { source: 'default', repo: fallback };
  const repo = deps.repos.find((r) => r.id === row.repoId);
  if (!repo) return { source: 'stale', staleId: row.repoId, repo: fallback };
  return { source: 'channel', repo, setBy: row.setBy, setAt: row.setAt };
}

/**
 * Where a scan or digest of each repository goes: every channel mapped to it, and for watched
 * repositories no channel has claimed, the default channel (TEAMMATE_CHANNEL) when there is one.
 */
export function listChannelTargets(
  deps: Pick<ChannelRepositoryDeps, 'store' | 'repos'>,
  defaultChannel: string | undefined,
): Array<{ channel: string; repo: Repository }> {
  const targets: Array<{ channel: string; repo: Repository }> = [];
  const claimed = new Set<string>();
  for (const row of deps.store.list()) {
    const repo = deps.repos.find((r) => r.id === row.repoId);
    if (!repo) continue;
    targets.push({ channel: row.channel, repo });
    claimed.add(repo.id);
  }
  if (defaultChannel && !deps.store.get(defaultChannel)) {
    for (const repo of deps.repos) if (!claimed.has(repo.id)) targets.push({ channel: defaultChannel, repo });
  }
  return targets;
}

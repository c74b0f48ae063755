import type { Repository } from '../repos/repository.js';

export interface PickedRepository {
  readonly repo: Repository;
  /** The question with a leading `in <label>:` removed. */
  readonly text: string;
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The repository a question is about: one whose label the question names (`in acme/api: …` or
 * just `acme/api`, longest label first so `acme/api-gateway` beats `acme/api`), else the thread's
 * repository, else the channel's (`/teammate repo`), else the first configured one.
 */
export function pickRepository(text: string, repos: readonly Repository[], preferredId?: string, channelRepoId?: string): PickedRepository | undefined {
  const byLength = [...repos].sort((a, b) => b.label.length - a.label.length);
  for (const repo of byLength) {
    const label = escapeRegExp(repo.label);
    const prefix = new RegExp(`^\\s*in\\s+\`?${label}\`?\\s*[:,]\\s*`, 'i');
    if (prefix.test(text)) return { repo, text: text.replace(prefix, '').trim() };
    const named = new RegExp(`(^|[^\\w./-])\`?${label}\`?(?=$|[^\\w/-]|\\.(?:\\s|$))`, 'i');
    if (named.test(text)) return { repo, text: text.trim() };
  }
  const byId = (id: string | undefined) => (id ? repos.find((r) => r.id === id) : undefined);
  const repo = byId(preferredId) ?? byId(channelRepoId) ?? repos[0];
  return repo ? { repo, text: text.trim() } : undefined;
}

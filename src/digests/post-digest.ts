/**
 * The digest use case: one channel's digest for the period since its last one. Core: the queries,
 * the paused scanners and Slack are ports (SQL in src/storage/digest-queries.ts, the poster in
 * src/slack/slack-posters.ts).
 */
import type { Repository } from '../repos/repository.js';
import { buildDigest, digestPeriodSince } from './build-digest.js';
import type { Digest, DigestPorts } from './types.js';

/** The Slack side: renders the digest and posts it, returning the message ts. */
export interface DigestPoster {
  post(channel: string, digest: Digest): Promise<string>;
}

export interface PostDigestDeps extends DigestPorts {
  readonly poster: DigestPoster;
  readonly now: () => number;
}

export interface PostDigestResult {
  readonly posted: boolean;
  readonly digest?: Digest;
  readonly messageTs?: string;
  readonly text: string;
}

export type PostDigest = (channel: string, repos: readonly Pick<Repository, 'id'>[], until: Date) => Promise<PostDigestResult>;

/**
 * Posts `channel`'s digest of its repositories for the period from the end of its last digest (a
 * week back the first time) until `until`, and records it so the next one starts there. Nothing to
 * say → nothing posted and nothing recorded (the next period simply covers this one too). A slot
 * older than the last digest (a back-fill after a manual digest) has nothing left to cover.
 */
export function createPostDigest(deps: PostDigestDeps): PostDigest {
  return async (channel, repos, until) => {
    const to = until.getTime();
    const last = deps.queries.lastDigestEnd(channel);
    if (last !== undefined && last >= to) return { posted: false, text: 'The last digest already covers this period, so I posted nothing.' };
    const { from } = digestPeriodSince(deps.queries, channel, to);
    const digest = await buildDigest({ from, to, channel, repoIds: repos.map((r) => r.id) }, deps);
    if (!digest) return { posted: false, text: 'Nothing happened since the last digest, so I posted nothing.' };
    const messageTs = await deps.poster.post(channel, digest);
    deps.queries.recordDigest({ channel, from, to, messageTs, now: deps.now() });
    const p = digest.proposals;
    return {
      posted: true,
      digest,
      messageTs,
      text: `Digest posted: ${p.total} new proposal${p.total === 1 ? '' : 's'}, ${digest.decisions.approved} approved, ${digest.decisions.rejected} rejected, ${p.pendingNow} waiting for a decision.`,
    };
  };
}

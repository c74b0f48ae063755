/**
 * The proactive loop's Slack side: a CardPoster and a DigestPoster over chat.postMessage. The
 * core records (channel, ts) after each card post (postSelectedCards) and each digest
 * (postDigest), so a crash never re-posts what Slack already has. A 429 waits for Retry-After
 * (only this call waits, see callWithRateLimit); 5xx and network errors are the client's retries.
 */
import { webApi } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import type { Config } from '../config/load-config.js';
import type { DigestPoster } from '../digests/post-digest.js';
import type { Logger } from '../logging/logger.js';
import type { CardPoster } from '../proposals/post-cards.js';
import type { Repository } from '../repos/repository.js';
import { buildDecidedCard } from './blocks/decided-card.js';
import { buildDigestMessage } from './blocks/digest-message.js';
import { buildProposalCard } from './blocks/proposal-card.js';
import type { CardRepository } from './blocks/proposal-parts.js';
import { callWithRateLimit } from './call-with-rate-limit.js';
import { type SlackAppOptions, slackClientOptions } from './slack-app.js';

export interface SlackPosters {
  readonly cards: CardPoster;
  readonly digests: DigestPoster;
}

export interface SlackPostersDeps {
  readonly client: webApi.WebClient;
  readonly repos: readonly Repository[];
  readonly logger: Logger;
  /** The longest Retry-After one post waits for (default 30 s; a scan is not in a hurry). */
  readonly rateLimitMaxWaitSec?: number;
}

export function createSlackPosters(deps: SlackPostersDeps): SlackPosters {
  const log = deps.logger.child({ component: 'slack-posters' });
  const repoOf = (id: string): CardRepository => deps.repos.find((r) => r.id === id) ?? { label: id };
  const post = async (channel: string, m: { text: string; blocks: KnownBlock[] }): Promise<string> => {
    const res = await callWithRateLimit('chat.postMessage', () => deps.client.chat.postMessage({ channel, text: m.text, blocks: m.blocks, unfurl_links: false, unfurl_media: false }), {
      logger: log,
      maxWaitSec: deps.rateLimitMaxWaitSec ?? 30,
    });
    if (!res.ts) throw new Error(`chat.postMessage to ${channel} returned no ts`);
    return res.ts;
  };
  return {
    cards: {
      post: (channel, proposal) => post(channel, buildProposalCard({ proposal, repo: repoOf(proposal.repoId) })),
      async update(proposal) {
        if (!proposal.channel || !proposal.messageTs) return;
        const m = buildDecidedCard({ proposal, repo: repoOf(proposal.repoId) });
        const [channel, ts] = [proposal.channel, proposal.messageTs];
        await callWithRateLimit('chat.update', () => deps.client.chat.update({ channel, ts, text: m.text, blocks: m.blocks }), { logger: log, maxWaitSec: deps.rateLimitMaxWaitSec ?? 30 });
      },
    },
    digests: { post: (channel, digest) => post(channel, buildDigestMessage(digest)) },
  };
}

/** The posters over a WebClient of their own, built like the Slack app's (timeouts, retries, 429s rejected to us). */
export function createSlackPostersFromConfig(slack: Config['slack'], repos: readonly Repository[], logger: Logger, options: SlackAppOptions = {}): SlackPosters {
  if (!slack.botToken) throw new Error('posting cards and digests needs SLACK_BOT_TOKEN');
  const client = new webApi.WebClient(slack.botToken, slackClientOptions(slack.apiUrl, logger, options));
  return createSlackPosters({ client, repos, logger, rateLimitMaxWaitSec: options.rateLimitMaxWaitSec });
}

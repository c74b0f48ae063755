/**
 * The Slack side of change requests: decides whether a message addressed to Teammate is one
 * (explicit `task: …`, or the model's one-call classification when configured), and posts the
 * proposal card in the thread through the core use case (src/proposals/request-change.ts).
 */
import type { webApi } from '@slack/bolt';
import type { ChatModel } from '../llm/types.js';
import type { Logger } from '../logging/logger.js';
import { type RequestChangeResult, classifyChangeRequest, mayBeChangeRequest, parseExplicitRequest, requestChange } from '../proposals/request-change.js';
import type { ProposalStore } from '../proposals/types.js';
import type { ChannelRepositoryStore } from '../repos/channel-repository.js';
import type { Repository } from '../repos/repository.js';
import { buildProposalCard } from './blocks/proposal-card.js';
import { buildErrorMessage } from './blocks/status-messages.js';
import { callWithRateLimit } from './call-with-rate-limit.js';
import { stripBotMention } from './strip-bot-mention.js';
import type { SubcommandHandler, SubcommandHandlers } from './slack-runtime.js';
import { fetchThreadHistory } from './thread-history.js';

export interface ChangeRequestDeps {
  readonly store: ProposalStore;
  readonly repos: readonly Repository[];
  readonly channelRepos?: Pick<ChannelRepositoryStore, 'get'>;
  /** When set, plain requests ("can you fix this?") are classified by it; else only `task: …`. */
  readonly model?: ChatModel;
  readonly now?: () => number;
}

/** The request text when the message asks for a change, else undefined (answer it as a question). */
export async function detectChangeRequest(deps: Pick<ChangeRequestDeps, 'model'>, rawText: string, botUserId: string | undefined): Promise<string | undefined> {
  const text = stripBotMention(rawText, botUserId).trim();
  const explicit = parseExplicitRequest(text);
  if (explicit) return explicit;
  if (!deps.model || !mayBeChangeRequest(text)) return undefined;
  return (await classifyChangeRequest(deps.model, text)) ? text : undefined;
}

export interface IncomingChangeRequest {
  readonly client: webApi.WebClient;
  readonly logger: Logger;
  readonly text: string;
  readonly user: string;
  readonly channel: string;
  readonly messageTs: string;
  /** The card's thread; undefined posts it top-level (slash command). */
  readonly threadTs?: string;
  /** Read the thread's earlier messages as the task's context. */
  readonly withHistory: boolean;
  readonly preferredRepoId?: string;
  readonly botUserId?: string;
  readonly botId?: string;
}

/** Posts the request's card (once); throws when no repository is configured or Slack refuses. */
export async function postChangeRequestCard(deps: ChangeRequestDeps, r: IncomingChangeRequest): Promise<RequestChangeResult> {
  const repoId = deps.channelRepos?.get(r.channel)?.repoId ?? r.preferredRepoId ?? deps.repos[0]?.id;
  const repo = deps.repos.find((x) => x.id === repoId) ?? deps.repos[0];
  if (!repo) throw new Error('No repository is configured, so there is nothing to change. Set TEAMMATE_REPOS and restart Teammate.');
  const call = <T>(what: string, fn: () => Promise<T>) => callWithRateLimit(what, fn, { logger: r.logger });
  const history =
    r.withHistory && r.threadTs
      ? await call('conversations.replies', () =>
          fetchThreadHistory(r.client, { channel: r.channel, threadTs: r.threadTs!, excludeTs: r.messageTs, botUserId: r.botUserId, botId: r.botId, maxMessages: 20, maxChars: 8000 }),
        ).catch((err: unknown) => {
          r.logger.warn({ err }, 'could not read the thread; the request goes without its context');
          return [];
        })
      : [];
  return requestChange(
    { text: r.text, repoId: repo.id, user: r.user, channel: r.channel, messageTs: r.messageTs, threadTs: r.threadTs, history, now: (deps.now ?? Date.now)() },
    {
      store: deps.store,
      poster: {
        async post(channel, proposal, threadTs) {
          const card = buildProposalCard({ proposal, repo });
          const res = await call('chat.postMessage', () => r.client.chat.postMessage({ channel, ...(threadTs ? { thread_ts: threadTs } : {}), text: card.text, blocks: card.blocks }));
          if (!res.ts) throw new Error('Slack returned no ts for the card');
          return res.ts;
        },
      },
    },
  );
}

/**
 * `/teammate task …`: the same card, posted in the channel (there is no thread). Keyed by the
 * command's trigger id, which Slack makes unique per invocation.
 */
export function taskSubcommand(deps: ChangeRequestDeps): SubcommandHandler {
  return async (req) => {
    const text = req.args.trim();
    if (!text) {
      await req.respond({ response_type: 'ephemeral', text: 'Say what to do: `/teammate task add a retry to the fetch in src/client.ts`.' });
      return;
    }
    try {
      await postChangeRequestCard(deps, { client: req.client, logger: req.logger, text, user: req.user, channel: req.channel, messageTs: `cmd-${req.triggerId}`, withHistory: false });
    } catch (err) {
      req.logger.error({ err }, '/teammate task could not post its card');
      await req.respond({ response_type: 'ephemeral', ...buildErrorMessage(`I could not post the proposal: ${(err as Error).message}`, 'Is Teammate in this channel? Invite it with /invite and try again.') });
    }
  };
}

/**
 * The subcommands with `task` filled in. A `task` handler the composition root passed (a task's
 * state, `/teammate task 42`) keeps the bare-number form; any other text is a change request.
 */
export function withTaskSubcommand(subcommands: SubcommandHandlers | undefined, deps: ChangeRequestDeps | undefined): SubcommandHandlers | undefined {
  if (!deps) return subcommands;
  const request = taskSubcommand(deps);
  const status = subcommands?.task;
  return { ...subcommands, task: status ? (req) => (/^#?\d+$/.test(req.args.trim()) ? status(req) : request(req)) : request };
}

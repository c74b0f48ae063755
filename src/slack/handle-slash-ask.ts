import type { RespondFn, webApi } from '@slack/bolt';
import type { Logger } from '../logging/logger.js';
import { buildPlaceholderMessage } from './blocks/status-messages.js';
import { slackErrorCode } from './explain-failure.js';
import { type QuestionDeps, handleQuestion } from './handle-question.js';
import { type ReplySink, createEphemeralReply, createThreadReply } from './reply-sink.js';

export interface SlashAsk {
  readonly client: webApi.WebClient;
  readonly respond: RespondFn;
  readonly logger: Logger;
  readonly channel: string;
  readonly user: string;
  readonly question: string;
  readonly botUserId?: string;
  readonly botId?: string;
}

/**
 * `/teammate ask …`: the answer goes in the channel as a new message (its thread holds any
 * overflow and follow-ups). When the bot is not in the channel, Slack refuses the post; the
 * answer then goes to the asker alone through the command's response_url.
 */
export async function handleSlashAsk(deps: QuestionDeps, a: SlashAsk): Promise<void> {
  const preface = `<@${a.user}> asked: ${a.question.length > 300 ? `${a.question.slice(0, 299)}…` : a.question}`;
  const placeholder = buildPlaceholderMessage();
  let reply: ReplySink;
  let threadTs: string;
  try {
    // Posted top-level: the placeholder's ts becomes the conversation's thread.
    const res = await a.client.chat.postMessage({ channel: a.channel, text: placeholder.text, blocks: placeholder.blocks });
    threadTs = res.ts ?? '';
    reply = createThreadReply({ client: a.client, channel: a.channel, threadTs, placeholderTs: res.ts, logger: a.logger, rateLimit: deps.rateLimit });
  } catch (err) {
    const code = slackErrorCode(err);
    if (code !== 'not_in_channel' && code !== 'channel_not_found') throw err;
    a.logger.info({ code }, 'not in the channel; answering privately via response_url');
    threadTs = `ephemeral:${Date.now()}`;
    reply = createEphemeralReply(a.respond, a.logger);
    await reply.start(placeholder);
  }
  await handleQuestion(deps, {
    client: a.client,
    logger: a.logger,
    channel: a.channel,
    user: a.user,
    text: a.question,
    threadTs,
    withHistory: false,
    botUserId: a.botUserId,
    botId: a.botId,
    preface,
    reply,
    started: true,
  });
}

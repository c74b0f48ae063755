/** The fields of `app_mention` and `message.*` events that decide whether Teammate answers. */
export interface MessageEventLike {
  readonly type: string;
  readonly subtype?: string;
  readonly bot_id?: string;
  readonly user?: string;
  readonly text?: string;
  readonly ts: string;
  readonly thread_ts?: string;
  readonly channel: string;
  readonly channel_type?: string;
}

export type MessageDecision =
  | { readonly kind: 'ignore'; readonly why: string }
  | { readonly kind: 'question'; readonly threadTs: string; readonly withHistory: boolean; readonly preferredRepoId?: string };

/**
 * Subtypes that are still a person writing a new message: a thread reply also sent to the
 * channel, and a message with a file or snippet attached. Every other subtype (edits, deletions,
 * joins, bot messages…) is not a question.
 */
const PERSON_SUBTYPES: ReadonlySet<string> = new Set(['thread_broadcast', 'file_share']);

/**
 * Whether a message is a question for Teammate: a mention, a DM, or a follow-up in a thread it
 * has answered. Edits, deletions, joins, its own and other bots' messages are not.
 */
export function classifyMessage(
  e: MessageEventLike,
  ctx: { botUserId?: string; findConversation(channel: string, threadTs: string): { repoId: string } | undefined },
): MessageDecision {
  if (e.subtype && !PERSON_SUBTYPES.has(e.subtype)) return { kind: 'ignore', why: `subtype ${e.subtype}` };
  if (e.bot_id) return { kind: 'ignore', why: 'from a bot' };
  if (!e.user) return { kind: 'ignore', why: 'no user' };
  if (ctx.botUserId && e.user === ctx.botUserId) return { kind: 'ignore', why: 'our own message' };
  const inThread = e.thread_ts !== undefined && e.thread_ts !== e.ts;
  const threadTs = e.thread_ts ?? e.ts;
  const conversation = inThread ? ctx.findConversation(e.channel, threadTs) : undefined;
  const mentioned = e.type === 'app_mention' || (ctx.botUserId !== undefined && (e.text ?? '').includes(`<@${ctx.botUserId}`));
  if (e.channel_type === 'im' || mentioned || conversation) {
    return { kind: 'question', threadTs, withHistory: inThread, preferredRepoId: conversation?.repoId };
  }
  return { kind: 'ignore', why: 'not addressed to Teammate' };
}

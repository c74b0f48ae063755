import type { App, BlockAction, ButtonAction, RespondFn, StaticSelectAction, webApi } from '@slack/bolt';
import { z } from 'zod';
import type { Logger } from '../../logging/logger.js';
import { buildErrorMessage } from '../blocks/status-messages.js';
import type { SlackMessage } from '../blocks/types.js';
import { explainFailure } from '../explain-failure.js';
import { blocksOf } from '../reply-sink.js';
import type { SlackRuntime } from '../slack-runtime.js';

/** One button click, as the use case sees it: the validated value and where the click came from. */
export interface ActionClick<P> {
  /** The button's `value`, parsed by the registration's schema. */
  readonly payload: P;
  readonly actionId: string;
  readonly userId: string;
  /** The channel and the message carrying the button (what Slack vouches for, unlike the value). */
  readonly channel?: string;
  readonly messageTs?: string;
  readonly threadTs?: string;
  /** The button sat on an ephemeral message (only the clicker sees it). */
  readonly ephemeral: boolean;
  /** The button sat in a view (App Home or a modal), not on a message: its id and type. */
  readonly view?: { readonly id: string; readonly type: string };
  /** For views.open (valid 3 s after the click). */
  readonly triggerId?: string;
  /** For what the reply kinds do not cover (views.open, views.publish, updating another message). */
  readonly client: webApi.WebClient;
  readonly logger: Logger;
}

/** What to show after the use case ran. */
export type ActionReply =
  /** A private note to the clicker. */
  | { readonly kind: 'ephemeral'; readonly text: string }
  /** Replaces the message the button is on (e.g. a card whose buttons must disappear once decided). */
  | { readonly kind: 'update'; readonly message: SlackMessage }
  | { readonly kind: 'none' };

export interface ActionRegistration<S extends z.ZodType<unknown, string>> {
  readonly actionId: string;
  /** Validates the button's value (a select menu's chosen option value; always a string in Slack); its output is the use case's input. */
  readonly schema: S;
  /** Told privately when the value does not validate; nothing is called. */
  readonly invalidText: string;
  /** The use case: runs after the ack, once per click even when Slack resends the click. */
  readonly handle: (click: ActionClick<z.output<S>>) => Promise<ActionReply> | ActionReply;
}

/** A button value holding JSON (e.g. `{"proposalId":3}`), checked against `schema`; bad JSON is a validation issue, not a throw. */
export function jsonValue<T extends z.ZodType>(schema: T) {
  return z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'the value is not JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

interface Delivery {
  readonly client: webApi.WebClient;
  readonly respond?: RespondFn;
  readonly click: Omit<ActionClick<unknown>, 'payload'>;
}

async function render(reply: ActionReply, d: Delivery): Promise<void> {
  const { click, client, respond } = d;
  if (reply.kind === 'none') return;
  if (reply.kind === 'update') {
    const m = reply.message;
    if (!click.ephemeral && click.channel && click.messageTs) {
      await client.chat.update({ channel: click.channel, ts: click.messageTs, text: m.text, blocks: blocksOf(m) });
    } else if (respond) {
      await respond({ replace_original: true, text: m.text, blocks: blocksOf(m) });
    }
    return;
  }
  if (!click.ephemeral && click.channel) {
    await client.chat.postEphemeral({ channel: click.channel, user: click.userId, thread_ts: click.threadTs, text: reply.text });
  } else if (respond) {
    await respond({ response_type: 'ephemeral', replace_original: false, text: reply.text });
  }
}

/**
 * The one way to handle a button: ack at once, claim the click (Slack resends a click whose ack
 * was late, with the same action_ts), validate the value with zod, call one use case, then show
 * its reply — a private note or the message updated in place. A failure is said privately too.
 */
export function registerAction<S extends z.ZodType<unknown, string>>(app: App, rt: SlackRuntime, reg: ActionRegistration<S>): void {
  app.action<BlockAction<ButtonAction | StaticSelectAction>>(reg.actionId, async ({ ack, action, body, client, respond }) => {
    await ack();
    const view = (body as { view?: { id?: string; type?: string } }).view;
    const click: Delivery['click'] = {
      actionId: reg.actionId,
      userId: body.user.id,
      channel: body.channel?.id ?? body.container?.channel_id,
      messageTs: body.container?.message_ts ?? body.message?.ts,
      threadTs: (body.message as { thread_ts?: string } | undefined)?.thread_ts,
      ephemeral: body.container?.is_ephemeral === true,
      ...(view?.id ? { view: { id: view.id, type: view.type ?? 'home' } } : {}),
      ...(body.trigger_id ? { triggerId: body.trigger_id } : {}),
      client,
      logger: rt.logger.child({ action_id: reg.actionId, user: body.user.id, channel: body.channel?.id }),
    };
    const key = `click:${reg.actionId}:${body.user.id}:${action.action_ts}`;
    const claim = rt.claims.claim(key);
    if (claim.status === 'duplicate') {
      click.logger.debug('the same click again (Slack resent it); already handled');
      return;
    }
    rt.inFlight.run(`action ${reg.actionId}`, async () => {
      const d: Delivery = { client, respond, click };
      try {
        const value = action.type === 'static_select' ? action.selected_option?.value : action.value;
        const parsed = reg.schema.safeParse(value ?? '');
        if (!parsed.success) {
          click.logger.warn({ issues: parsed.error.issues.length }, 'refused a button value that does not validate');
          await render({ kind: 'ephemeral', text: reg.invalidText }, d);
          rt.claims.complete(claim.key, 'failed', 'invalid value');
          return;
        }
        await render(await reg.handle({ ...click, payload: parsed.data }), d);
        rt.claims.complete(claim.key, 'done');
      } catch (err) {
        rt.claims.complete(claim.key, 'failed', err instanceof Error ? err.message.slice(0, 500) : String(err));
        const { reason, fix } = explainFailure('action', err);
        click.logger.error({ err }, 'a button action failed');
        await render({ kind: 'ephemeral', text: buildErrorMessage(reason, fix).text }, d).catch((e: unknown) => click.logger.warn({ err: e }, 'could not say so either'));
      }
    });
  });
}

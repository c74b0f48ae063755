import type { AllMiddlewareArgs, AnyMiddlewareArgs, App, RespondFn } from '@slack/bolt';
import type { SlackRuntime } from '../slack-runtime.js';
import { type KnownInteractions, constraintMatches } from './track-registrations.js';

/** The request body fields that tell what kind of interaction it is. */
interface InteractionBody {
  readonly type?: string;
  readonly command?: string;
  readonly callback_id?: string;
  readonly view?: { readonly callback_id?: string };
  readonly actions?: ReadonlyArray<{ readonly action_id?: string }>;
  readonly user?: { readonly id?: string } | string;
  readonly user_id?: string;
  readonly channel?: { readonly id?: string };
  readonly channel_id?: string;
  readonly response_url?: string;
  readonly response_urls?: ReadonlyArray<{ readonly response_url?: string }>;
}

const CANNOT = "Sorry, I can't handle that: it isn't one of my buttons, shortcuts or forms (it may come from an older version of Teammate). `/teammate help` shows what I can do.";

/** What an interaction nobody listens for is, or undefined when a listener will take it. */
export function describeUnknownInteraction(body: InteractionBody, known: KnownInteractions): string | undefined {
  const taken = (list: KnownInteractions[keyof KnownInteractions], id: string | undefined, field: 'action_id' | 'callback_id') =>
    list.some((c) => constraintMatches(c, id, field));
  if (body.command !== undefined) return taken(known.commands, body.command, 'callback_id') ? undefined : `command ${body.command}`;
  switch (body.type) {
    case 'block_actions': {
      const unknown = (body.actions ?? []).map((a) => a.action_id).filter((id) => !taken(known.actions, id, 'action_id'));
      return unknown.length > 0 ? `button ${unknown.join(', ')}` : undefined;
    }
    case 'interactive_message':
    case 'dialog_submission':
    case 'dialog_cancellation':
      return taken(known.actions, body.callback_id, 'callback_id') ? undefined : body.type;
    case 'shortcut':
    case 'message_action':
      return taken(known.callbacks, body.callback_id, 'callback_id') ? undefined : `shortcut ${body.callback_id ?? '?'}`;
    case 'view_submission':
    case 'view_closed':
      return taken(known.callbacks, body.view?.callback_id, 'callback_id') ? undefined : `form ${body.view?.callback_id ?? '?'}`;
    case 'block_suggestion':
    case 'dialog_suggestion':
      return known.options.length > 0 ? undefined : body.type;
    default:
      return undefined;
  }
}

/**
 * Interactions Teammate has no listener for — a button from an older message, a shortcut, a
 * modal, another slash command pointed at this URL — are acked at once (Slack shows the user an
 * error after 3 s otherwise) and the user is told privately, through response_url where there is one.
 * A global middleware: it sees every request before the listeners and lets through every one a
 * listener was registered for (trackRegistrations records them, whoever registers).
 */
export function registerUnknownInteractions(app: App, rt: SlackRuntime): void {
  app.use(async (args: AnyMiddlewareArgs & AllMiddlewareArgs) => {
    const body = args.body as InteractionBody;
    const what = describeUnknownInteraction(body, rt.interactions);
    if (what === undefined || !('ack' in args) || typeof args.ack !== 'function') {
      await args.next();
      return;
    }
    const ack = args.ack as (response?: unknown) => Promise<void>;
    const userId = typeof body.user === 'string' ? body.user : (body.user?.id ?? body.user_id);
    const log = rt.logger.child({ interaction: what, user: userId });
    log.warn('acked an interaction Teammate has no listener for');
    if (body.command !== undefined) {
      await ack({ response_type: 'ephemeral', text: `Sorry, I can't handle \`${body.command}\`: it isn't one of my commands. Try \`/teammate help\`.` });
      return;
    }
    if (body.type === 'block_suggestion') {
      await ack({ options: [] });
      return;
    }
    await ack();
    const respond = 'respond' in args ? (args.respond as RespondFn | undefined) : undefined;
    const channel = body.channel?.id ?? body.channel_id;
    rt.inFlight.run('explain an unknown interaction', async () => {
      if (respond) {
        await respond({ response_type: 'ephemeral', replace_original: false, text: CANNOT });
      } else if (channel && userId) {
        await args.client.chat.postEphemeral({ channel, user: userId, text: CANNOT });
      } else {
        log.info('nowhere to explain it (no response_url, no channel)');
      }
    });
  });
}

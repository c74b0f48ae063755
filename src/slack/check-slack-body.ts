import { z } from 'zod';

/**
 * The request bodies Slack sends to /slack/events, checked only as far as Bolt relies on them:
 * Bolt's HTTPReceiver reads `body.ssl_check` of whatever JSON.parse returned (a signed `null`
 * killed the process) and never answers a body it cannot classify (a 404 after 3 s). Anything
 * else is refused here with a 400 before Bolt sees it.
 */
const record = z.record(z.string(), z.unknown());
const event = z.object({ type: z.string() }).passthrough();
const SLACK_BODY = z.union([
  z.object({ ssl_check: z.string() }).passthrough(),
  z.object({ type: z.literal('url_verification'), challenge: z.string() }).passthrough(),
  z.object({ type: z.literal('app_rate_limited') }).passthrough(),
  z.object({ event }).passthrough(),
  z.object({ command: z.string() }).passthrough(),
  z.object({ type: z.enum(['block_actions', 'interactive_message']), actions: z.array(record) }).passthrough(),
  z.object({ type: z.literal('dialog_submission') }).passthrough(),
  z.object({ type: z.enum(['shortcut', 'message_action']), callback_id: z.string() }).passthrough(),
  z.object({ type: z.enum(['view_submission', 'view_closed']), view: record }).passthrough(),
  z.object({ type: z.literal('block_suggestion') }).passthrough(),
]);

export type SlackBodyCheck =
  | { readonly ok: true; readonly rateLimited: boolean }
  | { readonly ok: false; readonly error: 'malformed_body' | 'unrecognised_body' };

/** Parses the raw body the way Bolt does (JSON, or a form with a JSON `payload` field) and checks its shape. */
export function checkSlackBody(raw: Buffer, contentType: string | undefined): SlackBodyCheck {
  let parsed: unknown;
  try {
    const text = raw.toString('utf8');
    if (contentType === 'application/x-www-form-urlencoded') {
      const form = new URLSearchParams(text);
      const payload = form.get('payload');
      parsed = payload !== null ? JSON.parse(payload) : Object.fromEntries(form);
    } else {
      parsed = JSON.parse(text);
    }
  } catch {
    return { ok: false, error: 'malformed_body' };
  }
  const result = SLACK_BODY.safeParse(parsed);
  if (!result.success) return { ok: false, error: 'unrecognised_body' };
  return { ok: true, rateLimited: (parsed as { type?: unknown }).type === 'app_rate_limited' };
}

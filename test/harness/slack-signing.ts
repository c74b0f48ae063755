/**
 * Sends requests to a Slack app exactly as Slack does — signed, with the same encodings — and
 * builds realistic payloads, so tests go through Bolt's real HTTP receiver.
 */
import crypto from 'node:crypto';

export function signSlackRequest(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  const base = `v0:${timestamp}:${body}`;
  const signature = `v0=${crypto.createHmac('sha256', secret).update(base).digest('hex')}`;
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature };
}

export interface PostToSlackAppOptions {
  readonly kind: 'event' | 'action' | 'command';
  readonly payload: Record<string, unknown>;
  readonly retryNum?: number;
  /** Unix seconds; defaults to now. */
  readonly timestamp?: number;
  readonly badSignature?: boolean;
}

export interface SlackAppResponse {
  readonly status: number;
  readonly body: string;
}

/** Events are JSON; interactivity is a form with one `payload` field; slash commands are plain form fields. */
export function encodeSlackBody(kind: PostToSlackAppOptions['kind'], payload: Record<string, unknown>): { body: string; contentType: string } {
  if (kind === 'event') return { body: JSON.stringify(payload), contentType: 'application/json' };
  if (kind === 'action') {
    return { body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), contentType: 'application/x-www-form-urlencoded' };
  }
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(payload)) fields[k] = String(v);
  return { body: new URLSearchParams(fields).toString(), contentType: 'application/x-www-form-urlencoded' };
}

export async function postToSlackApp(url: string, secret: string, opts: PostToSlackAppOptions): Promise<SlackAppResponse> {
  const { body, contentType } = encodeSlackBody(opts.kind, opts.payload);
  const headers: Record<string, string> = {
    'content-type': contentType,
    ...signSlackRequest(opts.badSignature ? `${secret}-wrong` : secret, body, opts.timestamp),
  };
  if (opts.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(opts.retryNum);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  const res = await fetch(url, { method: 'POST', headers, body });
  return { status: res.status, body: await res.text() };
}

let eventCounter = 0;
const nextEventId = () => {
  eventCounter += 1;
  return `Ev${Date.now().toString(36).toUpperCase()}${eventCounter}`;
};

interface EnvelopeOptions {
  readonly event: Record<string, unknown>;
  readonly event_id?: string;
  readonly team_id?: string;
}

function envelope({ event, event_id, team_id = 'T1' }: EnvelopeOptions): Record<string, unknown> {
  return {
    token: 'legacy-verification-token',
    team_id,
    api_app_id: 'A1',
    event,
    type: 'event_callback',
    event_id: event_id ?? nextEventId(),
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id, user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    event_context: `4-${event_id ?? 'ctx'}`,
  };
}

export interface MessageOptions {
  readonly channel?: string;
  readonly user?: string;
  readonly text: string;
  readonly ts: string;
  readonly thread_ts?: string;
  readonly event_id?: string;
}

/** The event of a person's message as Slack shapes it; `fields` sets type, channel_type and extras. */
function messageEvent(o: MessageOptions, fields: Record<string, unknown> & { channel: string }): Record<string, unknown> {
  const event: Record<string, unknown> = { user: o.user ?? 'U1', text: o.text, ts: o.ts, event_ts: o.ts, team: 'T1', ...fields, channel: o.channel ?? fields.channel };
  if (o.thread_ts) event.thread_ts = o.thread_ts;
  return envelope({ event, event_id: o.event_id });
}

export function appMentionEnvelope(o: MessageOptions): Record<string, unknown> {
  return messageEvent(o, { type: 'app_mention', channel: 'C1' });
}

/** The `message.channels` twin Slack sends alongside an app_mention (or any channel message). */
export function channelMessageEnvelope(o: MessageOptions & { extra?: Record<string, unknown> }): Record<string, unknown> {
  return messageEvent(o, { type: 'message', channel_type: 'channel', channel: 'C1', ...o.extra });
}

export function threadReplyEnvelope(o: MessageOptions & { thread_ts: string }): Record<string, unknown> {
  return channelMessageEnvelope(o);
}

export function dmEnvelope(o: MessageOptions): Record<string, unknown> {
  return messageEvent(o, { type: 'message', channel_type: 'im', channel: 'D1' });
}

export function botMessageEnvelope(o: MessageOptions & { bot_id?: string }): Record<string, unknown> {
  return channelMessageEnvelope({ ...o, extra: { subtype: 'bot_message', bot_id: o.bot_id ?? 'BOTHER' } });
}

export function appHomeOpenedEnvelope(o: { user?: string; event_id?: string } = {}): Record<string, unknown> {
  return envelope({
    event: { type: 'app_home_opened', user: o.user ?? 'U1', channel: 'D1', tab: 'home', event_ts: '1700000000.000001' },
    event_id: o.event_id,
  });
}

let actionCounter = 0;
const nextActionTs = () => `${Math.floor(Date.now() / 1000)}.${String(++actionCounter).padStart(6, '0')}`;

export function blockActionPayload(o: {
  action_id: string;
  value: string;
  user?: string;
  channel?: string;
  message_ts?: string;
  thread_ts?: string;
  response_url?: string;
  /** Unique per click; Slack resends a click whose ack was late with the same action_ts. */
  action_ts?: string;
  is_ephemeral?: boolean;
}): Record<string, unknown> {
  const message: Record<string, unknown> = { type: 'message', ts: o.message_ts ?? '1700000001.000100', text: 'answer', user: 'UBOT', bot_id: 'BBOT' };
  if (o.thread_ts) message.thread_ts = o.thread_ts;
  return {
    type: 'block_actions',
    user: { id: o.user ?? 'U1', username: 'alice', name: 'alice', team_id: 'T1' },
    api_app_id: 'A1',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: o.message_ts ?? '1700000001.000100', channel_id: o.channel ?? 'C1', is_ephemeral: o.is_ephemeral ?? false },
    trigger_id: '123.456.abc',
    team: { id: 'T1', domain: 'fake' },
    channel: { id: o.channel ?? 'C1', name: 'general' },
    message,
    response_url: o.response_url ?? 'http://127.0.0.1:9/respond/none',
    actions: [
      { type: 'button', action_id: o.action_id, block_id: 'feedback', value: o.value, text: { type: 'plain_text', text: 'x' }, action_ts: o.action_ts ?? nextActionTs() },
    ],
  };
}

export function slashCommandBody(o: { text: string; user?: string; channel?: string; response_url?: string; command?: string }): Record<string, unknown> {
  return {
    token: 'legacy-verification-token',
    team_id: 'T1',
    team_domain: 'fake',
    channel_id: o.channel ?? 'C1',
    channel_name: 'general',
    user_id: o.user ?? 'U1',
    user_name: 'alice',
    command: o.command ?? '/teammate',
    text: o.text,
    api_app_id: 'A1',
    is_enterprise_install: 'false',
    response_url: o.response_url ?? 'http://127.0.0.1:9/respond/none',
    trigger_id: '123.456.abc',
  };
}

/** Posts exactly `body` (any bytes a client could send), signed like Slack signs it. */
export async function postRawToSlackApp(url: string, secret: string, body: string, contentType: string): Promise<SlackAppResponse> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': contentType, ...signSlackRequest(secret, body) }, body });
  return { status: res.status, body: await res.text() };
}

/**
 * Idempotency keys for one Slack message delivery: the (channel, ts) it is about first — the
 * claim's primary key, shared by the app_mention/message twins of one mention — then its event id.
 */
export function deliveryKeys(eventId: string | undefined, channel: string, ts: string): string[] {
  const keys = [`${QUESTION_KEY_PREFIX}${channel}:${ts}`];
  if (eventId) keys.push(`event:${eventId}`);
  return keys;
}

export const QUESTION_KEY_PREFIX = 'msg:';

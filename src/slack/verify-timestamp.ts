/** Slack's replay window: a request more than 5 minutes old — or ahead — is refused. */
export const MAX_CLOCK_SKEW_SEC = 5 * 60;

/**
 * Whether `X-Slack-Request-Timestamp` is within five minutes of now in either direction. Bolt only
 * rejects old timestamps; a far-future one would let a captured request be replayed later.
 */
export function isFreshSlackTimestamp(header: string | string[] | undefined, nowMs: number): boolean {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value || !/^\d{1,12}$/.test(value)) return false;
  return Math.abs(Math.floor(nowMs / 1000) - Number(value)) <= MAX_CLOCK_SKEW_SEC;
}

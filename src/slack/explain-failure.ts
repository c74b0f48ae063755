import { scrubSecrets } from '../logging/scrub.js';

export interface Explanation {
  readonly reason: string;
  readonly fix: string;
}

/** The Slack error code (`missing_scope`, `not_in_channel`…) of a Web API failure, if it is one. */
export function slackErrorCode(err: unknown): string | undefined {
  const e = err as { code?: string; data?: { error?: string } } | undefined;
  if (e?.code === 'slack_webapi_platform_error' && typeof e.data?.error === 'string') return e.data.error;
  return undefined;
}

function describeSlackError(err: unknown): string {
  const e = err as { code?: string; data?: { error?: string; needed?: string }; retryAfter?: number; statusCode?: number };
  const code = slackErrorCode(err);
  if (code) return e.data?.needed ? `${code}: ${e.data.needed}` : code;
  if (e?.code === 'slack_webapi_rate_limited_error') return `rate limited, retry after ${e.retryAfter ?? '?'} s`;
  if (e?.code === 'slack_webapi_http_error') return `HTTP ${e.statusCode ?? '?'} from Slack`;
  if (e?.code === 'slack_webapi_request_error') return 'Slack did not answer (network error or timeout)';
  return scrubSecrets(err instanceof Error ? err.message : String(err)).slice(0, 300);
}

function fixFor(code: string | undefined): string {
  switch (code) {
    case 'missing_scope':
      return 'Reinstall the app from manifest.yml so it gets every scope it needs.';
    case 'not_in_channel':
    case 'channel_not_found':
      return 'Invite me to the channel (`/invite @Teammate`) and ask again.';
    case 'invalid_auth':
    case 'token_revoked':
    case 'account_inactive':
      return 'Check SLACK_BOT_TOKEN and reinstall the app.';
    case 'ratelimited':
      return 'Slack is rate limiting me; try again in a minute.';
    default:
      return 'Try again in a minute; if it keeps failing, check the Teammate logs.';
  }
}

/**
 * A short, user-facing sentence for a failure at `stage`, plus what to do about it, e.g.
 * "I couldn't read the thread history (missing_scope: channels:history)." + "Reinstall the app…".
 * Secrets are scrubbed: the text is posted to Slack.
 */
export function explainFailure(stage: 'history' | 'answer' | 'post' | 'connect', err: unknown): Explanation {
  const what = {
    history: "I couldn't read the thread history",
    post: "I couldn't post the answer",
    answer: "I couldn't answer that",
    connect: "Slack refused Teammate's bot token",
  }[stage];
  return { reason: `${what} (${describeSlackError(err)}).`, fix: fixFor(slackErrorCode(err)) };
}

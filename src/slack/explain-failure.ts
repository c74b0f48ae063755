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

/** Node's system errors users can act on: what was wrong, said without the server's paths. */
const SYSTEM_ERRORS: Readonly<Record<string, { reason: string; fix: string }>> = {
  ENOENT: { reason: 'a file or folder I need is missing on the server', fix: 'Check TEAMMATE_REPOS and TEAMMATE_DATA_DIR; `teammate doctor` shows which one.' },
  ENOTDIR: { reason: 'a configured path is not a folder', fix: 'Check TEAMMATE_REPOS; `teammate doctor` shows which one.' },
  EACCES: { reason: 'I am not allowed to read a file or folder I need', fix: 'Give the Teammate process access to its repositories and data dir; `teammate doctor` shows which one.' },
  EPERM: { reason: 'I am not allowed to read a file or folder I need', fix: 'Give the Teammate process access to its repositories and data dir; `teammate doctor` shows which one.' },
  ENOSPC: { reason: 'the server is out of disk space', fix: 'Free some disk space where TEAMMATE_DATA_DIR lives, then ask again.' },
  SQLITE_BUSY: { reason: 'the database was busy', fix: 'Ask again in a moment.' },
};

function systemErrorOf(err: unknown): { reason: string; fix: string } | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? SYSTEM_ERRORS[code] : undefined;
}

/**
 * An error message fit for a chat: its first line only (no stack), secrets scrubbed, absolute
 * paths on the server (POSIX or Windows) replaced by `…` — they tell an attacker about the host
 * and tell the asker nothing.
 */
export function userSafeMessage(message: string): string {
  const firstLine = message.split(/\r?\n\s*at\s/)[0]!.split('\n')[0]!;
  return scrubSecrets(firstLine)
    .replace(/(?<![\w:/.~-])(?:~|\.{1,2})?\/(?:[^\s'"`,;()<>|/]+\/)*[^\s'"`,;()<>|/]+/g, '…')
    .replace(/\b[A-Za-z]:\\[^\s'"`,;()<>|]*/g, '…')
    .slice(0, 300);
}

function describeSlackError(err: unknown): string {
  const e = err as { code?: string; data?: { error?: string; needed?: string }; retryAfter?: number; statusCode?: number };
  const code = slackErrorCode(err);
  if (code) return e.data?.needed ? `${code}: ${e.data.needed}` : code;
  if (e?.code === 'slack_webapi_rate_limited_error') return `rate limited, retry after ${e.retryAfter ?? '?'} s`;
  if (e?.code === 'slack_webapi_http_error') return `HTTP ${e.statusCode ?? '?'} from Slack`;
  if (e?.code === 'slack_webapi_request_error') return 'Slack did not answer (network error or timeout)';
  return userSafeMessage(err instanceof Error ? err.message : String(err));
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
 * Secrets, stack lines and server paths are removed: the text is posted to Slack.
 */
export function explainFailure(stage: 'history' | 'answer' | 'post' | 'connect' | 'action', err: unknown): Explanation {
  const what = {
    history: "I couldn't read the thread history",
    post: "I couldn't post the answer",
    answer: "I couldn't answer that",
    action: "I couldn't do that",
    connect: "Slack refused Teammate's bot token",
  }[stage];
  const system = systemErrorOf(err);
  if (system) return { reason: `${what}: ${system.reason}.`, fix: system.fix };
  return { reason: `${what} (${describeSlackError(err)}).`, fix: fixFor(slackErrorCode(err)) };
}

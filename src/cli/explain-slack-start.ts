import type { Config } from '../config/load-config.js';
import { describeNetworkError } from '../doctor/check.js';
import { CliFailure } from './cli-failure.js';

/**
 * Why `teammate start` could not connect to Slack, as one line: where it tried, what happened,
 * what to change. Slack's own answer (invalid_auth…) is told apart from a network failure.
 */
export function explainSlackStart(err: unknown, slack: Config['slack']): CliFailure {
  // The Slack adapter wraps the Web API error; the reason is in the innermost one.
  let root: unknown = err;
  while ((root as { cause?: unknown })?.cause && (root as { code?: string }).code === undefined) root = (root as { cause: unknown }).cause;
  if ((root as { code?: string })?.code === 'EADDRINUSE') {
    return new CliFailure(`port ${slack.port} is already in use, so the Slack HTTP receiver cannot listen. Fix: set PORT to a free port, or stop the process using it.`);
  }
  const code = (root as { data?: { error?: string } })?.data?.error;
  if (code) {
    const fix =
      code === 'invalid_auth' || code === 'not_authed' || code === 'token_revoked' || code === 'account_inactive'
        ? 'copy the xoxb- token from OAuth & Permissions (reinstall the app if it was revoked) into SLACK_BOT_TOKEN'
        : 'see README → Troubleshooting; `teammate doctor` checks every setting';
    return new CliFailure(`Slack refused the bot token (${code}). Fix: ${fix}.`);
  }
  return new CliFailure(
    `cannot connect to Slack at ${slack.apiUrl}: ${describeNetworkError(root)}. Fix: check SLACK_API_URL and the network or proxy between this host and Slack; \`teammate doctor\` checks every setting.`,
  );
}

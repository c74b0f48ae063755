import { SUBCOMMAND_USAGE } from './command-messages.js';
import { scrubSecrets } from '../../logging/scrub.js';
import { escapeMrkdwn } from '../slack-mrkdwn.js';
import { type SlackMessage, truncate } from './types.js';

export const PLACEHOLDER_TEXT = 'Looking into it…';

/**
 * The reply shown while an answer is being prepared, with the latest progress line. The status
 * quotes what the model chose (queries, paths): it is scrubbed and escaped, so `<!channel>` or a
 * `<url|label>` link in a tool call is shown as text, never pings or links.
 */
export function buildPlaceholderMessage(status?: string): SlackMessage {
  const safe = (s: string) => escapeMrkdwn(truncate(scrubSecrets(s).replace(/[\r\n_]+/g, ' ').trim(), 200));
  const line = status ? `${PLACEHOLDER_TEXT}\n_${safe(status)}_` : PLACEHOLDER_TEXT;
  return { text: line, blocks: [{ type: 'context', block_id: 'progress', elements: [{ type: 'mrkdwn', text: `:hourglass_flowing_sand: ${line}` }] }] };
}

/** A failure, said plainly: what went wrong and what the reader can do about it. */
export function buildErrorMessage(reason: string, fix: string): SlackMessage {
  // Reasons quote error messages (an HTML error page, a path with `<`): shown as text, scrubbed.
  const safe = (s: string, max: number) => escapeMrkdwn(truncate(scrubSecrets(s), max));
  const text = `:warning: ${safe(reason, 1500)}${fix ? ` ${safe(fix, 1000)}` : ''}`;
  return { text, blocks: [{ type: 'section', block_id: 'error', text: { type: 'mrkdwn', text } }] };
}

export function buildHelpMessage(repoLabels: readonly string[]): SlackMessage {
  const repos = repoLabels.length > 0 ? repoLabels.map((l) => `\`${l}\``).join(', ') : '_none configured_';
  const text = [
    '*Teammate* answers questions about your code with file:line citations.',
    ...SUBCOMMAND_USAGE.map(([, line]) => `• ${line}`),
    '• Mention me (`@Teammate how does login work?`) and I reply in the thread; follow-ups in that thread need no mention.',
    '• DM me for a private answer.',
    `• Name a repository to pick it, e.g. \`in ${repoLabels[0] ?? 'owner/name'}: where is the retry logic?\`. Repositories: ${repos}`,
  ].join('\n');
  return { text: truncate(text, 3000), blocks: [{ type: 'section', text: { type: 'mrkdwn', text: truncate(text, 3000) } }] };
}

import { type HomeView, truncate } from './types.js';

/** The App Home tab: what Teammate is, how to ask, and which repositories it knows. */
export function buildHomeView(input: { readonly repoLabels: readonly string[] }): HomeView {
  const shown = input.repoLabels.slice(0, 30);
  const more = input.repoLabels.length - shown.length;
  const repoText =
    shown.length === 0
      ? '_No repository configured yet: set `TEAMMATE_REPOS` and restart._'
      : shown.map((l) => `• \`${l}\``).join('\n') + (more > 0 ? `\n…and ${more} more` : '');
  return {
    type: 'home',
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: 'Teammate', emoji: true } },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: 'A teammate that knows your codebase: it answers code questions with file:line citations.' },
      },
      { type: 'divider' },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: '*How to ask*\n• Mention me in a channel: `@Teammate where do we validate tokens?` (I answer in the thread; follow-ups there need no mention)\n• Send me a direct message\n• `/teammate ask <question>` or `/teammate help`',
        },
      },
      { type: 'section', text: { type: 'mrkdwn', text: truncate(`*Repositories*\n${repoText}`, 3000) } },
    ],
  };
}

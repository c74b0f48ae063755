import { escapeRegExp } from '../qa/pick-repository.js';

/** Removes `<@U…>` mentions of the bot (and collapses the space they leave). */
export function stripBotMention(text: string, botUserId: string | undefined): string {
  if (!botUserId) return text.trim();
  return text
    .replace(new RegExp(`<@${escapeRegExp(botUserId)}(\\|[^>]*)?>`, 'g'), '')
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
}

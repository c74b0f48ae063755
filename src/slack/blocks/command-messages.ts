/** Replies to `/teammate` subcommands: usage, and the channel's repository. Pure builders. */
import type { ChannelRepositoryView, SetChannelRepositoryResult } from '../../repos/channel-repository.js';
import type { JobStatus } from '../../scheduler/job-scheduler.js';
import { type SlackMessage, truncate } from './types.js';

/** Every subcommand, in the order help lists them. */
export const SUBCOMMAND_USAGE: ReadonlyArray<readonly [name: string, line: string]> = [
  ['ask', '`/teammate ask <question>` (or just `/teammate <question>`): answer in this channel'],
  ['repo', "`/teammate repo [owner/name|PATH]`: show or set this channel's repository"],
  ['scan', "`/teammate scan`: scan this channel's repository now; proposal cards follow"],
  ['digest', "`/teammate digest`: post this channel's digest now"],
  ['status', '`/teammate status`: schedules, last runs, paused scanners'],
  ['settings', '`/teammate settings`: scanners on/off, card budget, quiet hours, approvers'],
  ['task', '`/teammate task <id>`: where a queued task stands'],
  ['help', '`/teammate help`: what I can do'],
];

const section = (text: string): SlackMessage => {
  const t = truncate(text, 3000);
  return { text: t, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: t } }] };
};

/** Unknown input: say so, and list what is known. */
export function buildUsageMessage(typed: string): SlackMessage {
  const word = typed.trim().split(/\s+/)[0] ?? '';
  return section([`I don't know \`/teammate ${truncate(word, 60)}\`. What I understand:`, ...SUBCOMMAND_USAGE.map(([, line]) => `• ${line}`)].join('\n'));
}

/** A known subcommand that this deployment has no handler for (yet). */
export function buildUnavailableMessage(name: string): SlackMessage {
  return section(`:construction: \`/teammate ${name}\` is not set up in this Teammate yet. \`/teammate help\` lists what works.`);
}

const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
const slackDate = (ms: number) => `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} at {time}|${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC>`;

/** `/teammate repo` alone. */
export function buildChannelRepositoryMessage(view: ChannelRepositoryView, watched: readonly string[]): SlackMessage {
  const list = watched.length > 0 ? watched.map(code).join(', ') : '_none_';
  const how = 'Set one with `/teammate repo owner/name` or `/teammate repo /absolute/path`.';
  if (view.source === 'channel') {
    const by = view.setBy ? ` by <@${view.setBy}>` : '';
    return section(`This channel's repository is ${code(view.repo.label)} (set${by} ${slackDate(view.setAt)}). Questions, scans and digests here use it.`);
  }
  const fallback = view.repo ? `questions here go to ${code(view.repo.label)}, the first in TEAMMATE_REPOS` : 'no repository is configured at all (TEAMMATE_REPOS)';
  if (view.source === 'stale') {
    return section(`This channel was set to ${code(view.staleId)}, which Teammate no longer watches; ${fallback}. ${how} Watched: ${list}.`);
  }
  return section(`This channel has no repository of its own; ${fallback}. ${how} Watched: ${list}.`);
}

/** `/teammate repo SPEC`. */
export function buildSetChannelRepositoryMessage(result: SetChannelRepositoryResult): SlackMessage {
  if (!result.ok) return section(`:warning: ${result.reason} ${result.fix}`);
  if ('cleared' in result) {
    return section(result.cleared ? "This channel no longer has its own repository; questions here go to the default again." : 'This channel had no repository of its own.');
  }
  const was = result.previous ? ` (was ${code(result.previous)})` : '';
  return section(`:white_check_mark: This channel's repository is now ${code(result.repo.label)}${was}. Questions here go to it, and its scans and digests are posted here.`);
}

/** `/teammate status`: this channel's repository and each schedule with its next and last run. */
export function buildStatusMessage(view: ChannelRepositoryView, jobs: readonly JobStatus[], offJobs: readonly string[]): SlackMessage {
  const repo = view.repo ? `${code(view.repo.label)}${view.source === 'channel' ? '' : ' (the default)'}` : '_none configured_';
  const lines = [`*Teammate status*`, `• Repository here: ${repo}`];
  for (const j of jobs) {
    const next = j.next ? slackDate(j.next.getTime()) : 'never';
    const last = j.last
      ? `; last ${j.last.slot.startsWith('manual:') ? 'run (manual)' : 'slot'} ${slackDate(j.last.claimedAt)}: ${j.last.outcome ?? 'running'}${j.last.error ? ` — ${truncate(j.last.error, 200)}` : ''}`
      : '';
    lines.push(`• ${j.job}: ${code(j.cron)} in ${j.timezone}; next ${next}${last}`);
  }
  for (const name of offJobs) lines.push(`• ${name}: off`);
  return section(lines.join('\n'));
}

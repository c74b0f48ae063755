import fs from 'node:fs';
import type { App } from '@slack/bolt';
import { channelRepository, setChannelRepository } from '../../repos/channel-repository.js';
import {
  buildChannelRepositoryMessage,
  buildSetChannelRepositoryMessage,
  buildUnavailableMessage,
  buildUsageMessage,
} from '../blocks/command-messages.js';
import { buildErrorMessage, buildHelpMessage } from '../blocks/status-messages.js';
import { handleSlashAsk } from '../handle-slash-ask.js';
import type { SlackMessage } from '../blocks/types.js';
import type { SlackRuntime, SubcommandName } from '../slack-runtime.js';

export const COMMAND = '/teammate';

const HANDED_OFF: ReadonlySet<string> = new Set<SubcommandName>(['scan', 'digest', 'status', 'settings', 'task']);

export type TeammateCommand =
  | { kind: 'help' }
  | { kind: 'ask'; question: string }
  | { kind: 'repo'; spec: string }
  | { kind: 'handoff'; name: SubcommandName; args: string }
  | { kind: 'unknown'; text: string };

/**
 * `/teammate help` (or nothing) → private usage; `ask <q>` → an answer; `repo`, `scan`, `digest`,
 * `status`, `settings`, `task` → their handlers. Other text of several words is a question, as
 * before (`/teammate where is auth?`); one unknown word (`/teammate scna`) gets the usage.
 */
export function parseTeammateCommand(text: string): TeammateCommand {
  const trimmed = text.trim();
  if (trimmed === '' || /^help$/i.test(trimmed)) return { kind: 'help' };
  const [first = '', ...rest] = trimmed.split(/\s+/);
  const word = first.toLowerCase();
  const args = rest.join(' ');
  if (word === 'repo') return { kind: 'repo', spec: args };
  if (HANDED_OFF.has(word)) return { kind: 'handoff', name: word as SubcommandName, args };
  if (word !== 'ask' && rest.length === 0) return { kind: 'unknown', text: trimmed };
  const question = trimmed.replace(/^ask\b\s*/i, '');
  return question === '' ? { kind: 'help' } : { kind: 'ask', question };
}

const ephemeral = (m: SlackMessage) => ({ response_type: 'ephemeral' as const, text: m.text, blocks: m.blocks as never });

export function registerCommandListener(app: App, rt: SlackRuntime): void {
  app.command(COMMAND, async ({ command, ack, respond, client, context }) => {
    const parsed = parseTeammateCommand(command.text);
    if (parsed.kind === 'help') {
      const help = buildHelpMessage(rt.repos.map((r) => r.label));
      await ack({ response_type: 'ephemeral', text: help.text, blocks: help.blocks });
      return;
    }
    if (parsed.kind === 'unknown') {
      await ack(ephemeral(buildUsageMessage(parsed.text)));
      return;
    }
    const log = rt.logger.child({ command: COMMAND, channel: command.channel_id, user: command.user_id, trigger_id: command.trigger_id });
    if (parsed.kind === 'repo') {
      // One indexed SQLite row: quick enough to answer in the ack itself.
      const deps = { store: rt.channelRepos, repos: rt.repos, admins: rt.admins, isDirectory: (p: string) => fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false };
      let reply: SlackMessage;
      try {
        reply =
          parsed.spec === ''
            ? buildChannelRepositoryMessage(channelRepository(deps, command.channel_id), rt.repos.map((r) => r.label))
            : buildSetChannelRepositoryMessage(setChannelRepository(deps, { channel: command.channel_id, user: command.user_id, spec: parsed.spec }));
      } catch (err) {
        log.error({ err }, '/teammate repo failed');
        reply = buildErrorMessage("I couldn't read or save this channel's repository.", 'Try again in a minute; `teammate doctor` checks the database.');
      }
      await ack(ephemeral(reply));
      return;
    }
    if (parsed.kind === 'handoff') {
      const handler = rt.subcommands?.[parsed.name];
      if (!handler) {
        await ack(ephemeral(buildUnavailableMessage(parsed.name)));
        return;
      }
      await ack();
      rt.inFlight.run(`slash ${parsed.name}`, async () => {
        try {
          await handler({ channel: command.channel_id, user: command.user_id, args: parsed.args, triggerId: command.trigger_id, client, respond, logger: log });
        } catch (err) {
          log.error({ err }, `/teammate ${parsed.name} failed`);
          const msg = buildErrorMessage(`\`/teammate ${parsed.name}\` failed.`, 'Try again in a minute; the logs say why.');
          await respond({ response_type: 'ephemeral', text: msg.text });
        }
      });
      return;
    }
    await ack();
    rt.inFlight.run('slash ask', async () => {
      try {
        await handleSlashAsk(rt.question, {
          client,
          respond,
          logger: log,
          channel: command.channel_id,
          user: command.user_id,
          question: parsed.question,
          botUserId: context.botUserId,
          botId: context.botId,
        });
      } catch (err) {
        log.error({ err }, 'slash command failed');
        const msg = buildErrorMessage("I couldn't post in this channel.", 'Try again in a minute, or mention me in a thread instead.');
        await respond({ response_type: 'ephemeral', text: msg.text });
      }
    });
  });
}

import type { App } from '@slack/bolt';
import { buildErrorMessage, buildHelpMessage } from '../blocks/status-messages.js';
import { handleSlashAsk } from '../handle-slash-ask.js';
import type { SlackRuntime } from '../slack-runtime.js';

export const COMMAND = '/teammate';

/** `/teammate help` (or nothing) → private usage; `/teammate ask <q>` or `/teammate <q>` → an answer. */
export function parseTeammateCommand(text: string): { kind: 'help' } | { kind: 'ask'; question: string } {
  const trimmed = text.trim();
  if (trimmed === '' || /^help$/i.test(trimmed)) return { kind: 'help' };
  const question = trimmed.replace(/^ask\b\s*/i, '');
  return question === '' ? { kind: 'help' } : { kind: 'ask', question };
}

export function registerCommandListener(app: App, rt: SlackRuntime): void {
  app.command(COMMAND, async ({ command, ack, respond, client, context }) => {
    const parsed = parseTeammateCommand(command.text);
    if (parsed.kind === 'help') {
      const help = buildHelpMessage(rt.repos.map((r) => r.label));
      await ack({ response_type: 'ephemeral', text: help.text, blocks: help.blocks });
      return;
    }
    await ack();
    const log = rt.logger.child({ command: COMMAND, channel: command.channel_id, user: command.user_id, trigger_id: command.trigger_id });
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

/**
 * `/teammate settings`: an admin (TEAMMATE_ADMINS; anyone when empty) opens a modal, and its
 * submission is saved in SQLite, where it overrides config for the next decision and scan.
 * Bad input is shown on the field it belongs to (the modal stays open, nothing is lost).
 */
import type { App } from '@slack/bolt';
import { z } from 'zod';
import { parseQuietHours } from '../../proposals/quiet-hours.js';
import type { QuietHours } from '../../proposals/quiet-hours.js';
import type { TeamSettings, TeamSettingsStore } from '../../proposals/team-settings.js';
import { SETTINGS_CALLBACK, buildSettingsModal, formatQuietHours } from '../blocks/settings-modal.js';
import type { SlackRuntime, SubcommandHandler } from '../slack-runtime.js';

export interface SettingsSlackDeps {
  readonly store: TeamSettingsStore;
  /** Every scanner name (the registry's), for the per-repository checkboxes. */
  readonly scanners: readonly string[];
  /** The configured values the saved ones override. */
  readonly configured: { readonly approvers: readonly string[]; readonly cardBudget: number; readonly quietHours: QuietHours };
  readonly now?: () => number;
}

const NOT_ADMIN = 'Only the admins listed in TEAMMATE_ADMINS can change Teammate settings; ask one of them.';

const isAdmin = (rt: Pick<SlackRuntime, 'admins'>, user: string) => rt.admins.length === 0 || rt.admins.includes(user);

/** The `settings` subcommand: opens the modal with the values in force (saved over configured). */
export function openSettingsHandler(rt: Pick<SlackRuntime, 'admins' | 'repos'>, deps: SettingsSlackDeps): SubcommandHandler {
  return async (req) => {
    if (!isAdmin(rt, req.user)) {
      await req.respond({ response_type: 'ephemeral', text: NOT_ADMIN });
      return;
    }
    const saved = deps.store.get();
    await req.client.views.open({
      trigger_id: req.triggerId,
      view: buildSettingsModal({
        approvers: saved.approvers ?? deps.configured.approvers,
        cardBudget: saved.cardBudget ?? deps.configured.cardBudget,
        quietHours: saved.quietHours ?? formatQuietHours(deps.configured.quietHours),
        repos: rt.repos.map((r) => ({ id: r.id, label: r.label })),
        scanners: deps.scanners,
        scannersOff: saved.scannersOff ?? {},
      }),
    });
  };
}

const submission = z.object({
  approvers: z.object({ value: z.object({ selected_users: z.array(z.string()).optional() }) }).optional(),
  card_budget: z.object({ value: z.object({ value: z.string().nullish() }) }),
  quiet_hours: z.object({ value: z.object({ value: z.string().nullish() }) }).optional(),
});
const checkboxes = z.object({ value: z.object({ selected_options: z.array(z.object({ value: z.string() })).optional() }) });
const metadata = z.object({ repos: z.array(z.string()) });

/** The modal's values as settings, or errors by block id (what Slack shows under each field). */
export function readSettingsSubmission(
  values: Record<string, unknown>,
  privateMetadata: string,
  scanners: readonly string[],
): { settings: TeamSettings } | { errors: Record<string, string> } {
  const parsed = submission.safeParse(values);
  if (!parsed.success) return { errors: { card_budget: 'The form came back incomplete; open /teammate settings again.' } };
  const v = parsed.data;
  const errors: Record<string, string> = {};
  const budget = Number(v.card_budget.value.value ?? '');
  if (!Number.isInteger(budget) || budget < 0 || budget > 50) errors.card_budget = 'A whole number from 0 to 50.';
  const quietText = (v.quiet_hours?.value.value ?? '').trim() || 'off';
  const quiet = parseQuietHours(quietText);
  if (typeof quiet === 'string') errors.quiet_hours = quiet.slice(0, 150);
  if (Object.keys(errors).length > 0) return { errors };
  const repos = readRepoIds(privateMetadata);
  const scannersOff: Record<string, string[]> = {};
  for (const [i, repoId] of repos.entries()) {
    const box = checkboxes.safeParse(values[`scanners:${i}`]);
    if (!box.success) continue;
    const on = new Set((box.data.value.selected_options ?? []).map((o) => o.value));
    scannersOff[repoId] = scanners.filter((s) => !on.has(s));
  }
  return {
    settings: {
      approvers: v.approvers?.value.selected_users ?? [],
      cardBudget: budget,
      quietHours: quietText,
      ...(repos.length > 0 ? { scannersOff } : {}),
    },
  };
}

/** The repository ids the modal was built with; damaged metadata leaves the scanners as they were. */
function readRepoIds(privateMetadata: string): string[] {
  try {
    return metadata.parse(JSON.parse(privateMetadata)).repos;
  } catch {
    return [];
  }
}

export function registerSettingsListener(app: App, rt: SlackRuntime, deps: SettingsSlackDeps): void {
  app.view(SETTINGS_CALLBACK, async ({ ack, body, view }) => {
    const log = rt.logger.child({ view: SETTINGS_CALLBACK, user: body.user.id });
    // Checked again here: a submission can be sent without the command having opened the modal.
    if (!isAdmin(rt, body.user.id)) {
      await ack({ response_action: 'errors', errors: { card_budget: NOT_ADMIN } });
      return;
    }
    const read = readSettingsSubmission(view.state.values as Record<string, unknown>, view.private_metadata ?? '', deps.scanners);
    if ('errors' in read) {
      await ack({ response_action: 'errors', errors: read.errors });
      return;
    }
    // One small SQLite transaction: saved before the ack, so "Save" never loses the change.
    deps.store.save(read.settings, body.user.id, (deps.now ?? Date.now)());
    log.info({ settings: read.settings }, 'team settings saved');
    await ack();
  });
}

/**
 * The `/teammate settings` modal: approvers, card budget, quiet hours, and which scanners run in
 * each repository. Pure: current values in, a modal out; the submission is read by the listener.
 */
import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type { QuietHours } from '../../proposals/quiet-hours.js';
import { truncate } from './types.js';

export const SETTINGS_CALLBACK = 'teammate.settings';
/** Modals allow 100 blocks; three fixed inputs, the rest one per repository. */
export const SETTINGS_MAX_REPOS = 40;

export interface SettingsModalInput {
  readonly approvers: readonly string[];
  readonly cardBudget: number;
  readonly quietHours: string;
  readonly repos: readonly { readonly id: string; readonly label: string }[];
  /** Every scanner there is (the registry's names). */
  readonly scanners: readonly string[];
  /** Repository id → scanners switched off there. */
  readonly scannersOff: Readonly<Record<string, readonly string[]>>;
}

const plain = (text: string) => ({ type: 'plain_text' as const, text });

export function buildSettingsModal(input: SettingsModalInput): ModalView {
  // Shown repositories are named in private_metadata (≤3,000 characters): as many as fit, never a cut JSON.
  const repos: SettingsModalInput['repos'][number][] = [];
  for (const r of input.repos.slice(0, SETTINGS_MAX_REPOS)) {
    if (JSON.stringify({ repos: [...repos, r].map((x) => x.id) }).length > 3000) break;
    repos.push(r);
  }
  const blocks: KnownBlock[] = [
    {
      type: 'input',
      block_id: 'approvers',
      optional: true,
      label: plain('Who may approve, reject or snooze'),
      hint: plain('Nobody listed: anyone who sees a card may decide.'),
      element: { type: 'multi_users_select', action_id: 'value', ...(input.approvers.length > 0 ? { initial_users: [...input.approvers] } : {}) },
    },
    {
      type: 'input',
      block_id: 'card_budget',
      label: plain('New cards per channel per scan'),
      hint: plain('The rest wait in the Home deck and the digest. 0 to 50.'),
      element: { type: 'number_input', action_id: 'value', is_decimal_allowed: false, min_value: '0', max_value: '50', initial_value: String(input.cardBudget) },
    },
    {
      type: 'input',
      block_id: 'quiet_hours',
      optional: true,
      label: plain('Quiet hours (no cards posted to channels)'),
      hint: plain('e.g. 19-08,weekends — or off.'),
      element: { type: 'plain_text_input', action_id: 'value', initial_value: input.quietHours, max_length: 100 },
    },
  ];
  const options = input.scanners.slice(0, 10).map((s): PlainTextOption => ({ text: plain(s), value: s }));
  for (const [i, repo] of repos.entries()) {
    if (options.length === 0) break;
    const off = new Set(input.scannersOff[repo.id] ?? []);
    const on = options.filter((o) => !off.has(o.value!));
    blocks.push({
      type: 'input',
      block_id: `scanners:${i}`,
      optional: true,
      label: plain(truncate(`Scanners in ${repo.label}`, 150)),
      element: { type: 'checkboxes', action_id: 'value', options, ...(on.length > 0 ? { initial_options: on } : {}) },
    });
  }
  return {
    type: 'modal',
    callback_id: SETTINGS_CALLBACK,
    // Which repository each `scanners:<i>` block is about (ids can be long paths; block ids stay short).
    private_metadata: JSON.stringify({ repos: repos.map((r) => r.id) }),
    title: plain('Teammate settings'),
    submit: plain('Save'),
    close: plain('Cancel'),
    blocks,
  };
}

/** `19-08,weekends`, `weekends`, `off`: QuietHours back as the text config accepts. */
export function formatQuietHours(q: QuietHours): string {
  const pad = (h: number) => String(h).padStart(2, '0');
  const parts = [...(q.hours ? [`${pad(q.hours.start)}-${pad(q.hours.end)}`] : []), ...(q.weekends ? ['weekends'] : [])];
  return parts.length > 0 ? parts.join(',') : 'off';
}

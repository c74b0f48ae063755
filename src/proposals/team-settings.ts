/**
 * Team settings saved from Slack (`/teammate settings`): overrides of the proposal options that
 * config declares, changed without a restart. Absent fields mean "as configured".
 */
import type { DecisionPolicy } from './decide-proposal.js';
import { type QuietHours, parseQuietHours } from './quiet-hours.js';

export interface TeamSettings {
  /** Slack user IDs who may decide; an empty list means anyone (like an empty TEAMMATE_APPROVERS). */
  readonly approvers?: readonly string[];
  readonly cardBudget?: number;
  /** As typed (`19-08,weekends`, `off`), checked with parseQuietHours before it is saved. */
  readonly quietHours?: string;
  /** Repository id → scanners switched off there (on top of `.teammate.yml`). */
  readonly scannersOff?: Readonly<Record<string, readonly string[]>>;
}

export interface TeamSettingsStore {
  get(): TeamSettings;
  /** Saves every field given, in one transaction, recording who changed them. */
  save(settings: TeamSettings, userId: string, now: number): void;
}

/** The decision policy with the saved approvers, if any, in place of the configured ones. */
export function applySettingsToPolicy(policy: DecisionPolicy, settings: TeamSettings): DecisionPolicy {
  return settings.approvers ? { ...policy, approvers: settings.approvers } : policy;
}

/** Card budget and quiet hours for posting cards: saved values over configured ones. */
export function applySettingsToPosting(configured: { readonly cardBudget: number; readonly quietHours: QuietHours }, settings: TeamSettings): { cardBudget: number; quietHours: QuietHours } {
  const quiet = settings.quietHours !== undefined ? parseQuietHours(settings.quietHours) : undefined;
  return {
    cardBudget: settings.cardBudget ?? configured.cardBudget,
    quietHours: quiet !== undefined && typeof quiet !== 'string' ? quiet : configured.quietHours,
  };
}

/** Scanners switched off for a repository in the settings (runScan's `off` option). */
export function scannersOffFor(settings: TeamSettings, repoId: string): readonly string[] {
  return settings.scannersOff?.[repoId] ?? [];
}

/** TeamSettingsStore on SQLite (migrations/0015_team_settings.sql): one JSON row per setting. */
import type { TeamSettings, TeamSettingsStore } from '../proposals/team-settings.js';
import type { Db } from './database.js';

const KEYS = { approvers: 'approvers', cardBudget: 'card_budget', quietHours: 'quiet_hours', scannersOff: 'scanners_off' } as const;

export function createTeamSettingsStore(db: Db): TeamSettingsStore {
  const all = db.prepare('SELECT key, value FROM team_settings');
  const upsert = db.prepare(
    `INSERT INTO team_settings (key, value, updated_by, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
  );
  const save = db.transaction((settings: TeamSettings, userId: string, now: number) => {
    for (const [field, key] of Object.entries(KEYS) as [keyof TeamSettings, string][]) {
      const value = settings[field];
      if (value !== undefined) upsert.run(key, JSON.stringify(value), userId, now);
    }
  });
  return {
    get() {
      const rows = all.all() as { key: string; value: string }[];
      const out: Record<string, unknown> = {};
      for (const [field, key] of Object.entries(KEYS)) {
        const row = rows.find((r) => r.key === key);
        if (row) out[field] = JSON.parse(row.value) as unknown;
      }
      return out as TeamSettings;
    },
    save: (settings, userId, now) => save.immediate(settings, userId, now),
  };
}

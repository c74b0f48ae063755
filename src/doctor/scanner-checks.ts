import type { Config } from '../config/load-config.js';
import { describePausedScanners } from '../scanners/scan-state.js';
import { openDatabase } from '../storage/database.js';
import { createScanStateStore } from '../storage/scan-state-store.js';
import type { CheckResult } from './check.js';

/**
 * What the proactive loop will not do: scanners paused after failing again and again (they stay
 * silent until resumed, so nobody would notice otherwise), and the review scanner, which needs a
 * model and is skipped without OPENAI_API_KEY. Reads the database the database check migrated.
 */
export function checkScanners(config: Config): CheckResult[] {
  const results: CheckResult[] = [];
  try {
    const db = openDatabase(config.dbPath);
    try {
      const paused = describePausedScanners(createScanStateStore(db));
      results.push(
        paused.length === 0
          ? { name: 'scanners', status: 'pass', detail: 'none paused' }
          : { name: 'scanners', status: 'warn', detail: `${paused.length} paused:\n        ${paused.join('\n        ')}`, fix: 'fix the cause (the last error is shown), then `teammate scan --resume SCANNER --repo REPO`' },
      );
    } finally {
      db.close();
    }
  } catch (err) {
    results.push({ name: 'scanners', status: 'skip', detail: `skipped: cannot read scanner state (${(err as Error).message})` });
  }
  results.push(
    config.llm.apiKey
      ? { name: 'review scanner', status: 'pass', detail: `reviews recent commits with ${config.llm.model}` }
      : { name: 'review scanner', status: 'skip', detail: 'skipped: no OPENAI_API_KEY, so the review scanner does not run (todo, dependencies, ci and issues still do)' },
  );
  return results;
}

import type { Db } from '../storage/database.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const PRUNE_EVERY_MS = 10 * 60 * 1000;

export interface DeliveryClaims {
  /**
   * Claims every key at once; false when any of them was claimed before (a retry, or the
   * app_mention/message twin of one mention). Insert-or-ignore is the claim, so two instances
   * sharing the database cannot both win.
   */
  claim(keys: readonly string[]): boolean;
}

/** Keys for one Slack message delivery: its event and the (channel, ts) it is about. */
export function deliveryKeys(eventId: string | undefined, channel: string, ts: string): string[] {
  const keys = [`msg:${channel}:${ts}`];
  if (eventId) keys.unshift(`event:${eventId}`);
  return keys;
}

export function createDeliveryClaims(db: Db, now: () => number = Date.now): DeliveryClaims {
  const insert = db.prepare('INSERT OR IGNORE INTO slack_deliveries (key, received_at) VALUES (?, ?)');
  const prune = db.prepare('DELETE FROM slack_deliveries WHERE received_at < ?');
  let lastPrune = 0;
  const claimAll = db.transaction((keys: readonly string[], at: number) => {
    let fresh = true;
    // Insert every key even after a miss so each twin's own event id is remembered too.
    for (const key of keys) if (insert.run(key, at).changes === 0) fresh = false;
    return fresh;
  });
  return {
    claim(keys) {
      const at = now();
      if (at - lastPrune > PRUNE_EVERY_MS) {
        lastPrune = at;
        prune.run(at - DAY_MS);
      }
      return claimAll.immediate(keys, at);
    },
  };
}

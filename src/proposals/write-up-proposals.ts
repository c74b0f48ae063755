import type { ChatModel } from '../llm/types.js';
import { writeUpTask } from './write-up-task.js';
import type { Proposal, ProposalStore } from './types.js';

/**
 * Writes up the cards a scan is about to post (the budget keeps this to a few model calls) and
 * stores each write-up, so the card, Details and the executor all see the same task. One at a
 * time: a scan is not in a hurry, and the model's rate limit is shared with answers.
 */
export async function writeUpProposals(
  proposals: readonly Proposal[],
  deps: { readonly store: ProposalStore; readonly model?: ChatModel; readonly now: () => number; readonly onError?: (err: unknown, p: Proposal) => void },
): Promise<Proposal[]> {
  const out: Proposal[] = [];
  for (const p of proposals) {
    if (p.writeup) {
      out.push(p);
      continue;
    }
    const writeup = await writeUpTask(p.finding, { model: deps.model, onError: (e) => deps.onError?.(e, p) });
    deps.store.saveWriteup(p.id, writeup, deps.now());
    out.push(deps.store.get(p.id) ?? { ...p, writeup });
  }
  return out;
}

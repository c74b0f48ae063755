import type { Proposal, ProposalStore } from './types.js';

/** The Slack side of posting a card (the adapter renders buildProposalCard and calls chat.postMessage). */
export interface CardPoster {
  /** Posts the card in `channel` and returns the message ts. */
  post(channel: string, proposal: Proposal): Promise<string>;
  /** Re-renders a posted card (channel and messageTs set) in place, e.g. once a scan retired it. */
  update?(proposal: Proposal): Promise<void>;
}

export interface PostCardsResult {
  readonly posted: readonly { readonly proposalId: number; readonly ts: string }[];
  readonly failed: readonly { readonly proposalId: number; readonly error: string }[];
}

/**
 * Posts every card selected for `channel` that has no message yet — the ones a scan just chose,
 * and any a crash or a Slack outage left behind — and records each (channel, ts) right after its
 * post, so the next run never posts it again and clicks can be matched to their card. One at a
 * time, in rank order; a failed post stays unposted and is retried by the next call.
 */
export async function postSelectedCards(
  channel: string,
  deps: { readonly store: ProposalStore; readonly poster: CardPoster; readonly now: () => number },
): Promise<PostCardsResult> {
  const posted: { proposalId: number; ts: string }[] = [];
  const failed: { proposalId: number; error: string }[] = [];
  for (const p of deps.store.listUnpostedCards(channel)) {
    try {
      const ts = await deps.poster.post(channel, p);
      deps.store.recordCardPost(p.id, channel, ts, deps.now());
      posted.push({ proposalId: p.id, ts });
    } catch (err) {
      failed.push({ proposalId: p.id, error: (err as Error).message });
    }
  }
  return { posted, failed };
}

/**
 * The decision side of proposal cards, on both surfaces that show them: a card in a channel
 * (surface `slack`) and the App Home deck (surface `home`). Each click goes through the
 * interaction seam (ack, claim, zod), then one use case — decideProposal — then the render:
 * the channel card updated in place (its buttons replaced by who decided what), the deck
 * republished with the next card, or a private explanation when nothing changed.
 */
import type { App, webApi } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { z } from 'zod';
import { type DecisionPolicy, type DecisionResult, type RecheckEvidence, decideProposal } from '../../proposals/decide-proposal.js';
import { loadHomeDeck } from '../../proposals/load-home-deck.js';
import type { DecisionAction, Proposal, ProposalStore } from '../../proposals/types.js';
import { DECISION_REASONS, type DecisionReasonCode, PROPOSAL_REASON_ACTION, buildDecidedCard } from '../blocks/decided-card.js';
import { buildHomeDeck } from '../blocks/home-deck.js';
import { buildHomeView } from '../blocks/home-view.js';
import { buildProposalDetailsModal } from '../blocks/proposal-details-modal.js';
import { type CardRepository, PROPOSAL_ACTIONS, context, decidedLine } from '../blocks/proposal-parts.js';
import type { SlackRuntime } from '../slack-runtime.js';
import { type ActionClick, type ActionReply, registerAction } from './register-action.js';

/** What the proposal listeners need; built by the composition root (src/app.ts). */
export interface ProposalSlackDeps {
  readonly store: ProposalStore;
  /** Read on every click, so a settings change applies to the next decision. */
  readonly policy: () => DecisionPolicy;
  /** Re-checks an approval's evidence at the repository's HEAD; absent: approvals are not re-checked. */
  readonly recheck?: RecheckEvidence;
  readonly now?: () => number;
  /** An approval queued a task: the workers in this process look now, not at their next poll. */
  readonly onQueued?: (taskId: number) => void;
}

const proposalId = z
  .string()
  .regex(/^\d{1,12}$/)
  .transform(Number);
const INVALID = "That button doesn't carry a proposal I know; nothing changed.";

/** The repository a card names; a repository no longer configured still shows by its id. */
export function cardRepositoryOf(rt: Pick<SlackRuntime, 'repos'>, p: Proposal): CardRepository {
  return rt.repos.find((r) => r.id === p.repoId) ?? { label: p.repoId };
}

export function registerProposalListeners(app: App, rt: SlackRuntime, deps: ProposalSlackDeps): void {
  const now = deps.now ?? Date.now;
  const decideDeps = () => ({ store: deps.store, policy: deps.policy(), now, ...(deps.recheck ? { recheck: deps.recheck } : {}) });
  // An approval queues a task: the workers in this process hear of it at once.
  const decideAndWake = async (input: Parameters<typeof decideProposal>[0]): Promise<DecisionResult> => {
    const result = await decideProposal(input, decideDeps());
    if (result.kind === 'approved') deps.onQueued?.(result.taskId);
    return result;
  };

  const decide = (action: DecisionAction) => async (click: ActionClick<number>): Promise<ActionReply> => {
    if (click.view) {
      // The Home deck: the proposal in the value is the one the deck showed this user.
      const result = await decideAndWake({ proposalId: click.payload, userId: click.userId, action, surface: 'home' });
      click.logger.info({ proposal: click.payload, action, outcome: result.kind, surface: 'home' }, 'decision');
      if (changedState(result)) await updateChannelCard(click.client, result.proposal, cardRepositoryOf(rt, result.proposal), click);
      await publishDeck(click, { afterProposalId: click.payload, notice: homeNotice(result) });
      return { kind: 'none' };
    }
    // A channel card: Slack vouches for (channel, ts), not for the value — a value naming another
    // proposal (forged, or pasted from elsewhere) is refused before anything is decided.
    const card = click.channel && click.messageTs ? deps.store.findByCard(click.channel, click.messageTs) : undefined;
    if (!card || card.id !== click.payload) {
      click.logger.warn({ proposal: click.payload, card: card?.id }, 'refused a decision whose value does not match the card it came from');
      return { kind: 'ephemeral', text: "That button doesn't belong to this card, so nothing changed. Use the buttons on the proposal's own card or in the Teammate Home tab." };
    }
    const result = await decideAndWake({ proposalId: card.id, userId: click.userId, action, surface: 'slack' });
    click.logger.info({ proposal: card.id, action, outcome: result.kind, surface: 'slack' }, 'decision');
    if (changedState(result)) return { kind: 'update', message: buildDecidedCard({ proposal: result.proposal, repo: cardRepositoryOf(rt, result.proposal) }) };
    return { kind: 'ephemeral', text: explainUnchanged(result) };
  };

  const publishDeck = async (click: Pick<ActionClick<unknown>, 'client' | 'userId'>, opts: { afterProposalId?: number; notice?: string }) => {
    await publishHomeDeck(click.client, rt, deps, click.userId, opts);
  };

  for (const action of ['approve', 'reject', 'snooze'] as const) {
    registerAction(app, rt, { actionId: PROPOSAL_ACTIONS[action], schema: proposalId, invalidText: INVALID, handle: decide(action) });
  }

  registerAction(app, rt, {
    actionId: PROPOSAL_ACTIONS.skip,
    schema: proposalId,
    invalidText: INVALID,
    async handle(click) {
      await publishDeck(click, { afterProposalId: click.payload });
      return { kind: 'none' };
    },
  });

  registerAction(app, rt, {
    actionId: PROPOSAL_ACTIONS.details,
    schema: proposalId,
    invalidText: INVALID,
    async handle(click) {
      const p = deps.store.get(click.payload);
      if (!p) return { kind: 'ephemeral', text: `Proposal #${click.payload} no longer exists.` };
      if (!click.triggerId) return { kind: 'ephemeral', text: 'Slack sent no trigger to open the details with; click Details again.' };
      // trigger_id lives 3 s: nothing slow comes before this call.
      await click.client.views.open({
        trigger_id: click.triggerId,
        view: buildProposalDetailsModal({ proposal: p, repo: cardRepositoryOf(rt, p), executor: deps.policy().executor }),
      });
      return { kind: 'none' };
    },
  });

  registerAction(app, rt, {
    actionId: PROPOSAL_REASON_ACTION,
    schema: z
      .string()
      .regex(/^\d{1,12}:[a-z-]{1,20}$/)
      .transform((v) => {
        const [id, code] = v.split(':') as [string, string];
        return { id: Number(id), code };
      })
      .refine((v): v is { id: number; code: DecisionReasonCode } => v.code in DECISION_REASONS),
    invalidText: "That reason isn't one I know; nothing changed.",
    handle(click) {
      const card = click.channel && click.messageTs ? deps.store.findByCard(click.channel, click.messageTs) : undefined;
      if (!card || card.id !== click.payload.id) return { kind: 'ephemeral', text: "That menu doesn't belong to this card, so nothing changed." };
      const updated = deps.store.addDecisionReason(card.id, click.userId, DECISION_REASONS[click.payload.code], now());
      if (!updated) return { kind: 'ephemeral', text: 'Only whoever rejected or snoozed this card can give the reason.' };
      return { kind: 'update', message: buildDecidedCard({ proposal: updated, repo: cardRepositoryOf(rt, updated) }) };
    },
  });
}

/** Publishes the Home tab: the intro, then the deck at `afterProposalId`'s successor (or the best card). */
export async function publishHomeDeck(
  client: webApi.WebClient,
  rt: Pick<SlackRuntime, 'repos'>,
  deps: Pick<ProposalSlackDeps, 'store'>,
  userId: string,
  opts: { readonly afterProposalId?: number; readonly notice?: string } = {},
): Promise<void> {
  const state = loadHomeDeck(deps.store, opts.afterProposalId !== undefined ? { afterProposalId: opts.afterProposalId } : {});
  // The intro builder types its blocks as Slack's broad AnyBlock; they are all known block types.
  const intro = buildHomeView({ repoLabels: rt.repos.map((r) => r.label) }).blocks as KnownBlock[];
  const view = buildHomeDeck({
    ...(state.current ? { current: { proposal: state.current, repo: cardRepositoryOf(rt, state.current) } } : {}),
    position: state.position,
    total: state.total,
    recentDecisions: state.recentDecisions,
    tasks: state.tasks,
    intro: opts.notice ? [...intro, context(opts.notice)] : intro,
  });
  await client.views.publish({ user_id: userId, view });
}

type Changed = Extract<DecisionResult, { kind: 'approved' | 'rejected' | 'snoozed' | 'stale' }>;

function changedState(r: DecisionResult): r is Changed {
  return r.kind === 'approved' || r.kind === 'rejected' || r.kind === 'snoozed' || r.kind === 'stale';
}

/** Why a click changed nothing, for the clicker alone. */
function explainUnchanged(r: Exclude<DecisionResult, Changed>): string {
  switch (r.kind) {
    case 'not-allowed':
      return `${r.reason} Nothing changed.`;
    case 'already-decided':
      return `Already decided — ${decidedLine(r.proposal)}.`;
    case 'not-found':
      return `Proposal #${r.proposalId} no longer exists.`;
    case 'recheck-failed':
      return `Not approved yet: I ${r.reason}.`;
  }
}

/** The line above the deck after a decision made there. */
function homeNotice(r: DecisionResult): string {
  return changedState(r) ? `Done: ${decidedLine(r.proposal)}` : `:warning: ${explainUnchanged(r)}`;
}

/** A decision on the deck also settles the proposal's channel card, so nobody decides it twice. */
async function updateChannelCard(client: webApi.WebClient, p: Proposal, repo: CardRepository, click: Pick<ActionClick<unknown>, 'logger'>): Promise<void> {
  if (!p.channel || !p.messageTs) return;
  const card = buildDecidedCard({ proposal: p, repo });
  await client.chat
    .update({ channel: p.channel, ts: p.messageTs, text: card.text, blocks: card.blocks })
    .catch((err: unknown) => click.logger.warn({ err, proposal: p.id }, 'decided on Home, but could not update the channel card'));
}

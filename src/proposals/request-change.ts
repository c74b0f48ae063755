/**
 * A change request from a thread ("@Teammate task: add a retry here", `/teammate task …`, or a
 * plain request the model classifies as one) becomes a proposal card in that thread instead of an
 * answer: the same card, the same decisions, and the requester cannot approve their own request.
 * Core: ports only (the model port, the proposal store, a card poster).
 */
import type { ChatModel } from '../llm/types.js';
import { redactSecrets } from '../security/redact-secrets.js';
import type { Proposal, ProposalStore } from './types.js';

/** `task: …` / `task …` after the mention: the explicit form, recognised without a model. */
const EXPLICIT = /^\s*task\s*[:\-–—]\s*([\s\S]+)$/i;

/** The request text when `text` (mention already stripped) is the explicit verb form. */
export function parseExplicitRequest(text: string): string | undefined {
  const m = EXPLICIT.exec(text);
  const body = m?.[1]?.trim();
  return body ? body : undefined;
}

/**
 * Verbs a change request almost always carries. Only a message with one of them is sent to the
 * model: most messages are plain questions ("where is auth?"), and they should not pay for an
 * extra model round trip before their answer starts.
 */
const CHANGE_VERB =
  /\b(fix|add|remove|delete|drop|change|refactor|update|upgrade|bump|implement|write|rename|make|create|replace|migrate|move|convert|patch|clean|improve|rewrite|introduce|extract|split|wrap)\b/i;

/** Worth asking the model about: it mentions a change verb. */
export function mayBeChangeRequest(text: string): boolean {
  return CHANGE_VERB.test(text);
}

const CLASSIFY_PROMPT =
  'You sort messages sent to a coding assistant in a team chat. A "change request" asks for a change to the code or repository ' +
  '(fix, add, remove, refactor, update, write tests). A question asks for information or an explanation. ' +
  'Answer with JSON only, exactly {"change_request": true} or {"change_request": false}.';

/**
 * One short model call: is `text` a change request? Anything but a strict `{"change_request": true}`
 * — a model error, a timeout, prose — counts as a question, so a flaky model never turns an
 * ordinary question into a card.
 */
export async function classifyChangeRequest(model: ChatModel, text: string, signal?: AbortSignal): Promise<boolean> {
  try {
    const res = await model.complete({
      messages: [
        { role: 'system', content: CLASSIFY_PROMPT },
        { role: 'user', content: redactSecrets(text.slice(0, 2000)).text },
      ],
      maxTokens: 20,
      ...(signal ? { signal } : {}),
    });
    const raw = (res.content ?? '').trim().replace(/^```(?:json)?\s*|\s*```$/g, '');
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null && (parsed as Record<string, unknown>).change_request === true;
  } catch {
    return false;
  }
}

export interface HistoryTurn {
  readonly role: 'user' | 'assistant';
  readonly text: string;
  readonly author?: string;
}

export interface ChangeRequest {
  /** The request itself (explicit prefix and mention removed). */
  readonly text: string;
  readonly repoId: string;
  readonly user: string;
  readonly channel: string;
  /** The requesting message (or, for `/teammate task`, a stable id of the command). */
  readonly messageTs: string;
  /** Where the card goes: the thread, or undefined for a top-level card. */
  readonly threadTs?: string;
  /** The thread so far, oldest first (already bounded by the caller). */
  readonly history?: readonly HistoryTurn[];
  readonly now: number;
}

/** The Slack side: posts the card (as a reply when `threadTs` is set) and returns its ts. */
export interface RequestCardPoster {
  post(channel: string, proposal: Proposal, threadTs: string | undefined): Promise<string>;
}

export interface RequestChangeDeps {
  readonly store: ProposalStore;
  readonly poster: RequestCardPoster;
}

export type RequestChangeResult =
  | { readonly kind: 'posted'; readonly proposal: Proposal; readonly ts: string }
  | { readonly kind: 'already-posted'; readonly proposal: Proposal };

const MAX_CONTEXT_CHARS = 8000;

/** The suggested task: the request, then the thread as context (scrubbed of secrets). */
function suggestedTaskOf(r: ChangeRequest): string {
  const lines = (r.history ?? []).map((t) => `- ${t.role === 'assistant' ? 'Teammate' : t.author ? `<@${t.author}>` : 'someone'}: ${t.text.replace(/\s+/g, ' ').trim()}`);
  let context = lines.join('\n');
  if (context.length > MAX_CONTEXT_CHARS) context = `…${context.slice(-MAX_CONTEXT_CHARS)}`;
  const task = context ? `${r.text}\n\nContext — the Slack thread so far:\n${context}` : r.text;
  return redactSecrets(task).text;
}

/**
 * Records the request as a pending proposal (scanner `request`, rule `request.change`, keyed by
 * the requesting message so a retried delivery finds the same row) and posts its card once: a
 * proposal whose card is already recorded is not posted again.
 */
export async function requestChange(r: ChangeRequest, deps: RequestChangeDeps): Promise<RequestChangeResult> {
  const text = redactSecrets(r.text.trim()).text;
  if (!text) throw new Error('the request needs a description');
  const firstLine = text.split('\n')[0]!.trim();
  const title = firstLine.length > 150 ? `${firstLine.slice(0, 149)}…` : firstLine;
  const { proposal } = deps.store.upsertFromFinding(
    {
      scanner: 'request',
      rule: 'request.change',
      title,
      summary: `Requested in Slack by <@${r.user}>.`,
      evidence: [],
      severity: 'medium',
      confidence: 1,
      suggestedTask: suggestedTaskOf({ ...r, text }),
      fingerprint: `request:${r.channel}:${r.messageTs}`,
    },
    { repoId: r.repoId, now: r.now, requestedBy: r.user, channel: r.channel, ...(r.threadTs ? { threadTs: r.threadTs } : {}) },
  );
  if (proposal.messageTs) return { kind: 'already-posted', proposal };
  const ts = await deps.poster.post(r.channel, proposal, r.threadTs);
  deps.store.recordCardPost(proposal.id, r.channel, ts, r.now);
  return { kind: 'posted', proposal: deps.store.get(proposal.id) ?? proposal, ts };
}

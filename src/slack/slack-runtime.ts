import type { RespondFn, webApi } from '@slack/bolt';
import type { Logger } from '../logging/logger.js';
import type { ChannelRepositoryStore } from '../repos/channel-repository.js';
import type { Repository } from '../repos/repository.js';
import type { AnswerStore, ConversationStore } from '../qa/ports.js';
import type { IdempotencyStore } from '../shared/idempotency.js';
import type { KnownInteractions } from './listeners/track-registrations.js';
import type { ChangeRequestDeps } from './handle-change-request.js';
import type { QuestionDeps } from './handle-question.js';
import type { InFlightWork } from './in-flight-work.js';

/** What every listener needs, built once by createSlackApp. */
export interface SlackRuntime {
  readonly logger: Logger;
  readonly repos: readonly Repository[];
  /** Deliveries and clicks claim a key first and record the outcome after. */
  readonly claims: IdempotencyStore;
  /** Work started after the ack; stop() and tests wait for it. */
  readonly inFlight: InFlightWork;
  readonly answers: AnswerStore;
  readonly conversations: ConversationStore;
  readonly question: QuestionDeps;
  /** Which repository each channel is about (`/teammate repo`). */
  readonly channelRepos: ChannelRepositoryStore;
  /** TEAMMATE_ADMINS: who may change a channel's repository; empty: anyone. */
  readonly admins: readonly string[];
  /** Handlers of `/teammate scan|digest|status|settings|task`, plugged in by the composition root. */
  readonly subcommands?: SubcommandHandlers;
  /** Change requests in threads become proposal cards; absent (no proposal store): every message is a question. */
  readonly changeRequests?: ChangeRequestDeps;
  /** Every listener registered on the app (filled in by trackRegistrations). */
  readonly interactions: KnownInteractions;
}

export type SubcommandName = 'scan' | 'digest' | 'status' | 'settings' | 'task';

export interface SubcommandRequest {
  readonly channel: string;
  readonly user: string;
  /** The text after the subcommand word. */
  readonly args: string;
  /** For opening a modal (valid for 3 s). */
  readonly triggerId: string;
  readonly client: webApi.WebClient;
  /** The command's response_url: ephemeral replies to the person who typed it. */
  readonly respond: RespondFn;
  readonly logger: Logger;
}

/** Runs after the ack, so it may take its time; it tells the user through `respond` or the channel. */
export type SubcommandHandler = (req: SubcommandRequest) => Promise<void>;

export type SubcommandHandlers = Partial<Record<SubcommandName, SubcommandHandler>>;

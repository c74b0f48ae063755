import type { Logger } from '../logging/logger.js';
import type { Repository } from '../repos/repository.js';
import type { AnswerStore, ConversationStore } from '../qa/ports.js';
import type { IdempotencyStore } from '../shared/idempotency.js';
import type { QuestionDeps } from './handle-question.js';
import type { InFlightWork } from './in-flight-work.js';

/** Interactions a listener is registered for; anything else is acked and explained (see register-unknown-interactions). */
export interface KnownInteractions {
  readonly actions: Set<string>;
  readonly commands: Set<string>;
  /** callback_id of shortcuts and modals. */
  readonly callbacks: Set<string>;
}

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
  readonly interactions: KnownInteractions;
}

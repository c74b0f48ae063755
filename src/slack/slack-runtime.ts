import type { Logger } from '../logging/logger.js';
import type { Repository } from '../repos/repository.js';
import type { AnswerStore, ConversationStore } from '../qa/ports.js';
import type { IdempotencyStore } from '../shared/idempotency.js';
import type { KnownInteractions } from './listeners/track-registrations.js';
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
  /** Every listener registered on the app (filled in by trackRegistrations). */
  readonly interactions: KnownInteractions;
}

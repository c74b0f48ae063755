import { App, HTTPReceiver, SocketModeReceiver, webApi } from '@slack/bolt';
import type { z } from 'zod';
import type { Config } from '../config/load-config.js';
import type { Logger } from '../logging/logger.js';
import type { AnswerStore, ConversationStore } from '../qa/ports.js';
import type { AnswerQuestion } from '../qa/types.js';
import type { Repository } from '../repos/repository.js';
import type { IdempotencyStore } from '../shared/idempotency.js';
import type { Db } from '../storage/database.js';
import { createAnswerStore } from '../storage/answer-store.js';
import { createConversationStore } from '../storage/conversation-store.js';
import { createIdempotencyStore } from '../storage/idempotency-store.js';
import { toBoltLogger } from './bolt-logger.js';
import { explainFailure } from './explain-failure.js';
import { type SlackHttpServer, startSlackHttpServer } from './http-server.js';
import { registerCommandListener } from './listeners/register-command-listener.js';
import { type ActionRegistration, registerAction } from './listeners/register-action.js';
import { registerFeedbackListener } from './listeners/register-feedback-listener.js';
import { registerHomeListener } from './listeners/register-home-listener.js';
import { registerMessageListeners } from './listeners/register-message-listeners.js';
import { type ProposalSlackDeps, registerProposalListeners } from './listeners/register-proposal-listeners.js';
import { type SettingsSlackDeps, openSettingsHandler, registerSettingsListener } from './listeners/register-settings-listener.js';
import { registerUnknownInteractions } from './listeners/register-unknown-interactions.js';
import { createKnownInteractions, trackRegistrations } from './listeners/track-registrations.js';
import { resumeInterruptedQuestions } from './resume-interrupted-questions.js';
import type { SlackRuntime, SubcommandHandlers } from './slack-runtime.js';
import { type ChangeRequestDeps, withTaskSubcommand } from './handle-change-request.js';
import type { ChatModel } from '../llm/types.js';
import { createChannelRepoStore } from '../storage/channel-repo-store.js';
import { createInFlightWork } from './in-flight-work.js';

export interface SlackAppOptions {
  /** Web API request timeout; the WebClient has none by default and can hang forever. */
  readonly requestTimeoutMs?: number;
  /** p-retry options for 5xx/network failures (tests shorten the waits). */
  readonly retryConfig?: webApi.RetryOptions;
  /** Minimum time between two progress updates of a placeholder (chat.update is ~50/min). */
  readonly progressIntervalMs?: number;
  /** The longest Retry-After a single call waits for before giving up. */
  readonly rateLimitMaxWaitSec?: number;
  /** HTTP mode: interface to bind (default all). */
  readonly host?: string;
  /** An answer taking longer is abandoned and the asker told so (default 5 minutes). */
  readonly answerTimeoutMs?: number;
  /** How long stop() waits for answers under way. */
  readonly drainTimeoutMs?: number;
  /** Web API calls in flight at once per workspace; the rest wait in the client's queue (default 8). */
  readonly maxRequestConcurrency?: number;
  /** A claim whose process sent no heartbeat for this long is taken over by another (default 60 s). */
  readonly claimLeaseMs?: number;
  /** At start-up, questions interrupted less than this ago are answered again; older ones are told to ask again (default 5 min). */
  readonly resumeWindowMs?: number;
}

export interface SlackAppDeps {
  readonly slack: Config['slack'];
  readonly logger: Logger;
  readonly db: Db;
  readonly answerQuestion: AnswerQuestion;
  readonly repos: readonly Repository[];
  readonly options?: SlackAppOptions;
  /** `/teammate scan|digest|status|settings|task`; a missing one answers "not set up yet". */
  readonly subcommands?: SubcommandHandlers;
  /** Claims for deliveries and clicks; default: the SQLite store on `db`. */
  readonly idempotency?: IdempotencyStore;
  /** Answers and feedback; default: the SQLite store on `db`. */
  readonly answers?: AnswerStore;
  /** Threads Teammate answers in; default: the SQLite store on `db`. */
  readonly conversations?: ConversationStore;
  /** Proposal cards' buttons and the Home deck; without it the Home tab shows only the intro. */
  readonly proposals?: ProposalSlackDeps;
  /** Classifies plain thread messages as change requests; without it only `task: …` is one. */
  readonly requestModel?: ChatModel;
  /** `/teammate settings` (modal saved in SQLite); it takes over the `settings` subcommand. */
  readonly settings?: SettingsSlackDeps;
}

export interface SlackApp {
  readonly app: App;
  readonly receiver: HTTPReceiver | SocketModeReceiver;
  readonly mode: 'socket' | 'http';
  /** HTTP mode: the bound port once started (PORT=0 picks a free one). */
  readonly port?: number;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves when every answer under way has been delivered (tests, shutdown). */
  idle(): Promise<void>;
  /** Adds a button handler through the interaction seam (ack, claim, zod, use case, reply). */
  registerAction<S extends z.ZodType<unknown, string>>(reg: ActionRegistration<S>): void;
}

/**
 * WebClient settings: a request timeout, a few quick retries for 5xx and network errors, and
 * rate-limited calls rejected to us instead of pausing the client's whole queue (see
 * callWithRateLimit, which retries just that call).
 */
export function slackClientOptions(apiUrl: string, logger: Logger, o: SlackAppOptions = {}): webApi.WebClientOptions {
  const log = logger.child({ component: 'slack-web-api' });
  return {
    slackApiUrl: apiUrl,
    timeout: o.requestTimeoutMs ?? 15_000,
    rejectRateLimitedCalls: true,
    // The client's own queue (FIFO): under a burst, calls wait there instead of crowding the event
    // loop that acks deliveries. Slack's rate limits allow far less than 8 calls at once anyway.
    maxRequestConcurrency: o.maxRequestConcurrency ?? 8,
    retryConfig: {
      retries: 3,
      factor: 2,
      minTimeout: 500,
      maxTimeout: 5_000,
      randomize: true,
      ...o.retryConfig,
      onFailedAttempt: (err: { attemptNumber?: number; retriesLeft?: number; message?: string }) => {
        log.warn({ attempt: err.attemptNumber, retriesLeft: err.retriesLeft, error: err.message }, 'Slack API call failed; retrying');
      },
    } as webApi.RetryOptions,
    logger: toBoltLogger(log),
  };
}

/** The bot's identity from one auth.test, cached once it succeeds (a failure is retried next time). */
function createAuthorize(client: webApi.WebClient, botToken: string) {
  let cached: Promise<{ botToken: string; botId?: string; botUserId?: string; teamId?: string }> | undefined;
  return () => {
    cached ??= client.auth
      .test({ token: botToken })
      .then((r) => ({ botToken, botId: r.bot_id, botUserId: r.user_id, teamId: r.team_id }))
      .catch((err: unknown) => {
        cached = undefined;
        throw err;
      });
    return cached;
  };
}

export function createSlackApp(deps: SlackAppDeps): SlackApp {
  const { slack, logger } = deps;
  const opts = deps.options ?? {};
  if (!slack.botToken) throw new Error('createSlackApp needs SLACK_BOT_TOKEN');
  const socketMode = Boolean(slack.appToken);
  if (!socketMode && !slack.signingSecret) throw new Error('the HTTP receiver needs SLACK_SIGNING_SECRET (or set SLACK_APP_TOKEN for Socket Mode)');

  const clientOptions = slackClientOptions(slack.apiUrl, logger, opts);
  const boltLogger = toBoltLogger(logger);
  const authClient = new webApi.WebClient(undefined, clientOptions);
  const authorize = createAuthorize(authClient, slack.botToken);

  const receiver = socketMode
    ? new SocketModeReceiver({ appToken: slack.appToken!, logger: boltLogger, installerOptions: { clientOptions } })
    : new HTTPReceiver({ signingSecret: slack.signingSecret!, endpoints: ['/slack/events'], logger: boltLogger, processBeforeResponse: false });

  const app = new App({ receiver, authorize, clientOptions, logger: boltLogger });
  app.error(async (err) => {
    logger.error({ err }, 'unhandled error in a Slack listener');
  });

  const inFlight = createInFlightWork(logger);
  const leaseMs = opts.claimLeaseMs ?? 60_000;
  const claims = deps.idempotency ?? createIdempotencyStore(deps.db, { leaseMs });
  const answers = deps.answers ?? createAnswerStore(deps.db);
  const conversations = deps.conversations ?? createConversationStore(deps.db);
  const channelRepos = createChannelRepoStore(deps.db);
  const changeRequests: ChangeRequestDeps | undefined = deps.proposals
    ? { store: deps.proposals.store, repos: deps.repos, channelRepos, ...(deps.requestModel ? { model: deps.requestModel } : {}), ...(deps.proposals.now ? { now: deps.proposals.now } : {}) }
    : undefined;
  const rt: SlackRuntime = {
    logger,
    repos: deps.repos,
    claims,
    inFlight,
    answers,
    conversations,
    interactions: createKnownInteractions(),
    question: {
      answers,
      conversations,
      answerQuestion: deps.answerQuestion,
      repos: deps.repos,
      progressIntervalMs: opts.progressIntervalMs ?? 1500,
      rateLimit: { maxWaitSec: opts.rateLimitMaxWaitSec ?? 30 },
      answerTimeoutMs: opts.answerTimeoutMs,
      channelRepos,
    },
    channelRepos,
    admins: slack.admins,
    subcommands: withTaskSubcommand(
      deps.settings ? { ...deps.subcommands, settings: openSettingsHandler({ admins: slack.admins, repos: deps.repos }, deps.settings) } : deps.subcommands,
      changeRequests,
    ),
    ...(changeRequests ? { changeRequests } : {}),
  };
  trackRegistrations(app, rt.interactions);
  registerUnknownInteractions(app, rt);
  registerMessageListeners(app, rt);
  registerCommandListener(app, rt);
  registerFeedbackListener(app, rt);
  registerHomeListener(app, rt, deps.proposals);
  if (deps.proposals) registerProposalListeners(app, rt, deps.proposals);
  if (deps.settings) registerSettingsListener(app, rt, deps.settings);

  let server: SlackHttpServer | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  const drain = async () => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, opts.drainTimeoutMs ?? 10_000);
    });
    await Promise.race([inFlight.idle(), timeout]);
    clearTimeout(timer);
  };

  return {
    app,
    receiver,
    mode: socketMode ? 'socket' : 'http',
    get port() {
      return server?.port;
    },
    async start() {
      // Fail at startup with Slack's own reason (invalid_auth…) rather than on the first event.
      const who = await authorize().catch((err: unknown) => {
        const { reason } = explainFailure('connect', err);
        throw new Error(`${reason} Check SLACK_BOT_TOKEN and SLACK_API_URL.`, { cause: err });
      });
      logger.info({ mode: socketMode ? 'socket' : 'http', botUserId: who.botUserId }, 'connected to Slack');
      // Our claims stay ours while we live; a killed process stops beating and is taken over.
      heartbeat = setInterval(() => claims.heartbeat(), Math.max(10, Math.floor(leaseMs / 3)));
      heartbeat.unref();
      // Recovery must not keep Teammate from connecting: a failure here is logged, and the claims
      // stay for Slack's redelivery or the next start.
      await resumeInterruptedQuestions(rt, {
        client: new webApi.WebClient(slack.botToken, clientOptions),
        botUserId: who.botUserId,
        botId: who.botId,
        resumeWindowMs: opts.resumeWindowMs ?? 5 * 60_000,
      }).then(
        (resumed) => resumed > 0 && logger.info({ questions: resumed }, 'took over questions interrupted by a restart'),
        (err: unknown) => logger.error({ err }, 'could not take over questions interrupted by a restart'),
      );
      if (socketMode) {
        await app.start();
        return;
      }
      server = await startSlackHttpServer({ receiver: receiver as HTTPReceiver, signingSecret: slack.signingSecret, port: slack.port, host: opts.host, logger });
      logger.info({ port: server.port }, 'Slack HTTP receiver listening on /slack/events');
    },
    async stop() {
      clearInterval(heartbeat);
      if (socketMode) await app.stop();
      else await server?.close();
      await drain();
    },
    idle: () => inFlight.idle(),
    registerAction: (reg) => registerAction(app, rt, reg),
  };
}

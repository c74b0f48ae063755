#!/usr/bin/env node
/**
 * The container healthcheck. In HTTP mode (bot token, no app token) Teammate serves GET /healthz on
 * PORT: healthy only when it answers 200 within 3 s. Socket Mode and the console open no port; the
 * process running is all there is to check. Exit 0 healthy, 1 not (Docker's convention).
 */
const env = process.env;
const httpMode = Boolean(env.SLACK_BOT_TOKEN?.trim()) && !env.SLACK_APP_TOKEN?.trim();
if (!httpMode) process.exit(0);
const port = env.PORT?.trim() || '3000';
try {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(3000) });
  process.exit(res.ok ? 0 : 1);
} catch (err) {
  process.stderr.write(`healthcheck: http://127.0.0.1:${port}/healthz: ${err.cause?.code ?? err.message}\n`);
  process.exit(1);
}

/**
 * Loaded by vitest before every test file: any TCP connection to a host other than loopback
 * fails the current test. Every SDK we use (axios in @slack/web-api, undici fetch in openai and
 * Octokit, git over http in child processes aside) ends up in net.Socket#connect, so guarding it
 * catches all of them without mocking any module.
 */
import net from 'node:net';
import { afterEach, expect } from 'vitest';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost', '::ffff:127.0.0.1']);
const violations: string[] = [];

type ConnectArgs = Parameters<net.Socket['connect']>;
const originalConnect = net.Socket.prototype.connect as (...args: ConnectArgs) => net.Socket;

function targetOf(args: unknown[]): { host?: string; path?: string } {
  const first = args[0];
  if (Array.isArray(first)) return targetOf(first);
  if (first && typeof first === 'object') {
    const o = first as { host?: string; path?: string };
    return { host: o.host ?? (o.path ? undefined : 'localhost'), path: o.path };
  }
  if (typeof first === 'string' && Number.isNaN(Number(first))) return { path: first };
  return { host: typeof args[1] === 'string' ? args[1] : 'localhost' };
}

net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: ConnectArgs) {
  const { host, path } = targetOf(args as unknown[]);
  if (!path && host !== undefined && !LOOPBACK.has(host)) {
    const message = `network guard: test tried to reach non-loopback host "${host}"`;
    violations.push(message);
    process.nextTick(() => this.destroy(new Error(message)));
    return this;
  }
  return originalConnect.apply(this, args);
} as net.Socket['connect'];

afterEach(() => {
  const seen = violations.splice(0);
  expect(seen, 'outbound requests to non-loopback hosts').toEqual([]);
});

/** For the guard's own test: returns and clears what was blocked so far. */
export function takeNetworkViolations(): string[] {
  return violations.splice(0);
}

import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback port that was free a moment ago: for a child process that must be told its port
 * up front, and (nobody listening there) for tests of "connection refused".
 */
export async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

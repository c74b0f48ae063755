import http from 'node:http';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { takeNetworkViolations } from './network-guard.js';

describe('network guard', () => {
  it('fails connections to non-loopback hosts, whichever client makes them', async () => {
    const viaNet = await new Promise<Error>((resolve) => {
      const s = net.connect(443, '203.0.113.7');
      s.on('error', resolve);
    });
    expect(viaNet.message).toContain('203.0.113.7');
    const viaFetch = await fetch('http://203.0.113.8/').then(
      () => undefined,
      (e: Error) => e,
    );
    expect(viaFetch).toBeInstanceOf(Error);
    expect(takeNetworkViolations()).toHaveLength(2);
  });

  it('lets loopback through', async () => {
    const server = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as net.AddressInfo;
    const body = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    server.close();
    expect(body).toBe('ok');
  });
});

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createNpmRegistryClient } from '../../src/npm/registry-client.js';
import { createCommandRunner } from '../../src/repos/run-command.js';
import { startFakeNpmRegistry } from '../harness/fake-npm-registry.js';

describe('npm registry client', () => {
  const servers: http.Server[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
  });

  it('asks for scoped names escaped, reads dist-tags and versions, and answers undefined for an unknown package', async () => {
    const reg = await startFakeNpmRegistry({ packages: { '@scope/tool': { versions: ['1.0.0', '1.1.0'] } } });
    try {
      const client = createNpmRegistryClient({ url: reg.url });
      expect(await client.packageInfo('@scope/tool')).toEqual({ name: '@scope/tool', distTags: { latest: '1.1.0' }, versions: ['1.0.0', '1.1.0'] });
      expect(await client.packageInfo('nope')).toBeUndefined();
      expect(reg.requests.map((r) => r.path)).toEqual(['/@scope/tool', '/nope']);
    } finally {
      await reg.close();
    }
  });

  it('gives up on a registry that does not answer, with a clear error', async () => {
    const hanging = http.createServer(() => {
      /* never answers */
    });
    servers.push(hanging);
    await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
    const client = createNpmRegistryClient({ url, timeoutMs: 200 });
    await expect(client.packageInfo('lodash')).rejects.toThrow(`npm registry ${url} did not answer within 200 ms (lodash)`);
  });
});

describe('command runner', () => {
  it('kills a command that outlives its timeout', async () => {
    const r = await createCommandRunner().run(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'], { cwd: process.cwd(), timeoutMs: 300 });
    expect(r).toMatchObject({ timedOut: true, code: null });
  });

  it('passes no secret-looking variable to the child, only what it is given', async () => {
    const parent = { PATH: process.env.PATH ?? '/usr/bin', GITHUB_TOKEN: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', SLACK_BOT_TOKEN: 'xoxb-1-2-3', HARMLESS: 'yes' };
    const r = await createCommandRunner(parent).run(process.execPath, ['-e', 'console.log(JSON.stringify(process.env))'], {
      cwd: process.cwd(),
      timeoutMs: 10_000,
      env: { npm_config_registry: 'http://127.0.0.1:1/' },
    });
    const env = JSON.parse(r.stdout) as Record<string, string>;
    expect(env.GITHUB_TOKEN).toBeUndefined();
    expect(env.SLACK_BOT_TOKEN).toBeUndefined();
    expect(env.HARMLESS).toBe('yes');
    expect(env.npm_config_registry).toBe('http://127.0.0.1:1/');
  });
});

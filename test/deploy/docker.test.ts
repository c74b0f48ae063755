/**
 * The container files, checked without a Docker engine (this machine has only the docker client,
 * no daemon and no `docker compose`): the Dockerfile parsed instruction by instruction, compose.yaml
 * parsed with the yaml package, and the healthcheck script run against local HTTP servers.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { PROJECT_ROOT } from '../harness/cli.js';
import { freePort } from '../harness/ports.js';

interface Instruction {
  readonly op: string;
  readonly args: string;
}

/** Dockerfile instructions with continuation lines joined and comments dropped. */
function parseDockerfile(text: string): Instruction[] {
  const joined = text
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n')
    .replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const m = /^(\S+)\s+(.*)$/.exec(l)!;
      return { op: m[1]!.toUpperCase(), args: m[2]!.replace(/\s+/g, ' ') };
    });
}

/** Instructions grouped by stage (each FROM starts one). */
function stages(instructions: Instruction[]): Instruction[][] {
  const out: Instruction[][] = [];
  for (const i of instructions) {
    if (i.op === 'FROM') out.push([]);
    out.at(-1)?.push(i);
  }
  return out;
}

const read = (f: string) => fs.readFileSync(path.join(PROJECT_ROOT, f), 'utf8');
const dockerfile = parseDockerfile(read('Dockerfile'));
const [build, runtime] = [stages(dockerfile)[0]!, stages(dockerfile).at(-1)!];
const ignored = read('.dockerignore')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#') && !l.startsWith('!'));

describe('Dockerfile', () => {
  it('is multi-stage: better-sqlite3 and tsc run in the build stage, the runtime stage copies the result', () => {
    expect(stages(dockerfile).length).toBeGreaterThanOrEqual(2);
    expect(build[0]!.args).toMatch(/^node:20\S* AS build$/);
    expect(build.filter((i) => i.op === 'RUN').map((i) => i.args).join('\n')).toMatch(/python3 make g\+\+[\s\S]*npm ci/);
    const runtimeRuns = runtime.filter((i) => i.op === 'RUN').map((i) => i.args).join('\n');
    expect(runtimeRuns).not.toMatch(/npm (ci|install)|g\+\+/);
    const fromBuild = runtime.filter((i) => i.op === 'COPY' && i.args.startsWith('--from=build')).map((i) => i.args);
    expect(fromBuild).toEqual(expect.arrayContaining(['--from=build /app/node_modules ./node_modules', '--from=build /app/dist ./dist']));
    expect(runtimeRuns).toMatch(/\bgit\b/); // indexing and clones run git
  });

  it('runs as a non-root user with the database and clones on the /data volume', () => {
    const user = runtime.filter((i) => i.op === 'USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user!.split(':')[0]);
    expect(runtime.some((i) => i.op === 'VOLUME' && i.args.includes('/data'))).toBe(true);
    expect(runtime.find((i) => i.op === 'ENV')?.args).toContain('TEAMMATE_DATA_DIR=/data');
    expect(runtime.find((i) => i.op === 'RUN' && i.args.includes('chown'))?.args).toMatch(/chown node:node \/data/);
  });

  it('has a healthcheck that runs a script shipped in the image, which asks /healthz', () => {
    const hc = runtime.find((i) => i.op === 'HEALTHCHECK');
    expect(hc?.args).toContain('scripts/healthcheck.mjs');
    expect(runtime.some((i) => i.op === 'COPY' && i.args.includes('scripts/healthcheck.mjs'))).toBe(true);
    expect(read('scripts/healthcheck.mjs')).toContain('/healthz');
  });

  it('copies only sources that exist and that .dockerignore does not exclude', () => {
    const sources = dockerfile
      .filter((i) => i.op === 'COPY' && !i.args.startsWith('--from'))
      .flatMap((i) => i.args.split(' ').slice(0, -1));
    expect(sources.length).toBeGreaterThan(3);
    for (const src of sources) {
      expect(fs.existsSync(path.join(PROJECT_ROOT, src)), src).toBe(true);
      expect(ignored.filter((pattern) => src === pattern || src.startsWith(`${pattern}/`)), src).toEqual([]);
    }
    // What prepare needs to compile is in the build context.
    for (const needed of ['src', 'scripts', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json', 'migrations']) expect(ignored, needed).not.toContain(needed);
  });
});

describe('compose.yaml', () => {
  const compose = YAML.parse(read('compose.yaml')) as {
    services: Record<string, { build: string; env_file: { path: string; required: boolean }[]; environment: Record<string, string>; volumes: string[]; ports: string[] }>;
    volumes: Record<string, unknown>;
  };
  const svc = compose.services.teammate!;

  it('builds this Dockerfile and keeps /data on a named volume', () => {
    expect(svc.build).toBe('.');
    const data = svc.volumes.find((v) => v.endsWith(':/data'));
    expect(data).toBeDefined();
    expect(Object.keys(compose.volumes)).toContain(data!.split(':')[0]);
    expect(svc.environment.TEAMMATE_DATA_DIR).toBe('/data');
  });

  it('reads .env when present and publishes the HTTP port on loopback only (a reverse proxy faces Slack)', () => {
    expect(svc.env_file).toEqual([{ path: '.env', required: false }]);
    expect(svc.ports).toEqual(['127.0.0.1:3000:3000']);
  });
});

describe('scripts/healthcheck.mjs', () => {
  const servers: http.Server[] = [];
  afterEach(() => {
    for (const s of servers.splice(0)) s.close();
  });

  async function serve(status: number): Promise<number> {
    const server = http.createServer((req, res) => {
      res.writeHead(req.url === '/healthz' ? status : 404).end('{}');
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return (server.address() as { port: number }).port;
  }

  function check(env: Record<string, string>): Promise<number | null> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'scripts/healthcheck.mjs')], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'ignore' });
      child.on('close', resolve);
    });
  }

  it('HTTP mode: healthy only when /healthz answers 200', async () => {
    const httpMode = { SLACK_BOT_TOKEN: 'xoxb-x', SLACK_SIGNING_SECRET: 's' };
    expect(await check({ ...httpMode, PORT: String(await serve(200)) })).toBe(0);
    expect(await check({ ...httpMode, PORT: String(await serve(503)) })).toBe(1);
    expect(await check({ ...httpMode, PORT: String(await freePort()) })).toBe(1);
  });

  it('Socket Mode and the console have no endpoint: healthy while running', async () => {
    expect(await check({ SLACK_BOT_TOKEN: 'xoxb-x', SLACK_APP_TOKEN: 'xapp-x', PORT: String(await freePort()) })).toBe(0);
    expect(await check({})).toBe(0);
  });
});

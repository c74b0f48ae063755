import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Repository } from '../../src/repos/repository.js';

export const FAKE_OPENAI_KEY = `sk-proj-${'A1b2C3d4'.repeat(4)}`;

/** A small repository on disk: config loading, a server with a leaked key, a .env, a README. */
export function makeFixtureRepo(): { root: string; outside: string; cleanup: () => void } {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'teammate-qa-'));
  const root = path.join(base, 'repo');
  const outside = path.join(base, 'outside');
  fs.mkdirSync(path.join(root, 'src', 'config'), { recursive: true });
  fs.mkdirSync(outside);
  const configLines = [
    "import { readFileSync } from 'node:fs';",
    '',
    '/** Loads the configuration from the environment. */',
    'export function loadConfig(env: Record<string, string>) {',
    '  const port = Number(env.PORT ?? 3000);',
    '  const dataDir = env.DATA_DIR ?? "/var/lib/app";',
    '  return { port, dataDir };',
    '}',
    '',
    'export function readConfigFile(path: string) {',
    "  return JSON.parse(readFileSync(path, 'utf8'));",
    '}',
  ];
  fs.writeFileSync(path.join(root, 'src', 'config', 'load-config.ts'), `${configLines.join('\n')}\n`);
  fs.writeFileSync(
    path.join(root, 'src', 'server.ts'),
    [
      "import { loadConfig } from './config/load-config.js';",
      `const OPENAI_KEY = '${FAKE_OPENAI_KEY}';`,
      'export function startServer() {',
      '  const config = loadConfig(process.env as Record<string, string>);',
      '  return config.port;',
      '}',
      '',
    ].join('\n'),
  );
  fs.writeFileSync(path.join(root, 'README.md'), '# Demo\n\nRun `npm start` to start the server.\n');
  fs.writeFileSync(path.join(root, '.env'), 'DB_PASSWORD=hunter2-super-secret\n');
  fs.writeFileSync(path.join(outside, 'passwords.txt'), 'root:outside-secret\n');
  fs.symlinkSync(path.join(outside, 'passwords.txt'), path.join(root, 'src', 'escape.txt'));
  fs.symlinkSync(path.join(root, '.env'), path.join(root, 'src', 'innocent.txt'));
  return { root, outside, cleanup: () => fs.rmSync(base, { recursive: true, force: true }) };
}

export function localRepo(root: string): Repository {
  return { id: root, root, label: 'demo' };
}

export function githubRepo(root: string): Repository {
  return { id: 'acme/demo', root, label: 'acme/demo', github: { owner: 'acme', name: 'demo', webUrl: 'https://github.com' } };
}

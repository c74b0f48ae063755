/**
 * CLI tests run the built binary exactly as users do (`node dist/main.js …`), so build once
 * before any test file starts. A type error does not stop tsc from emitting; it is reported here
 * and `npm run typecheck` in CI fails on it.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  try {
    execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'pipe' });
  } catch (err) {
    const out = String((err as { stdout?: Buffer }).stdout ?? '');
    process.stderr.write(`[global-setup] build reported errors (CLI tests may fail):\n${out.slice(0, 4000)}\n`);
  }
}

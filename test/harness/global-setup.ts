/**
 * CLI tests run the built binary exactly as users do (`node dist/main.js …`), so bring dist/ up to
 * date once before any test file starts — with the same stale check `npm start` uses, so a run
 * right after `npm ci` (whose `prepare` just built) does not compile twice. A type error does not
 * stop tsc from emitting; it is reported here and `npm run typecheck` in CI fails on it.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  try {
    execFileSync(process.execPath, ['scripts/build-if-stale.mjs'], { cwd: root, stdio: 'pipe' });
  } catch (err) {
    const out = String((err as { stdout?: Buffer }).stdout ?? '') + String((err as { stderr?: Buffer }).stderr ?? '');
    process.stderr.write(`[global-setup] build reported errors (CLI tests may fail):\n${out.slice(0, 4000)}\n`);
  }
}

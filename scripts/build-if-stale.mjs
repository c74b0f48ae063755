#!/usr/bin/env node
/**
 * Compiles src/ to dist/ only when a source is newer than the last build, so `npm start` with an
 * unchanged tree starts in well under a second instead of paying 10–30 s of tsc every time.
 * Runs as `prepare` too, so `npx teammate …` works straight after `npm ci` on a fresh clone.
 *
 *   node scripts/build-if-stale.mjs          build when stale
 *   node scripts/build-if-stale.mjs --force  always build
 *
 * Plain JavaScript on purpose: it must run before anything is compiled.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stamp = path.join(root, 'dist', '.build-stamp');
const inputs = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];

/** Newest modification time under a file or folder, in ms (0 when missing). */
function newestMtime(p) {
  let st;
  try {
    st = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs; // a deleted or renamed file bumps its folder's mtime
  for (const entry of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

function isStale() {
  const built = newestMtime(stamp);
  if (built === 0) return true;
  return inputs.some((input) => newestMtime(path.join(root, input)) > built);
}

const force = process.argv.includes('--force');
if (!force && !isStale()) process.exit(0);

let tsc;
try {
  tsc = createRequire(path.join(root, 'package.json')).resolve('typescript/bin/tsc');
} catch {
  // A production install (`npm ci --omit=dev`) has no compiler; an existing build is then all we have.
  if (fs.existsSync(path.join(root, 'dist', 'main.js'))) process.exit(0);
  process.stderr.write('teammate: dist/ is missing and TypeScript is not installed; run `npm ci` (with dev dependencies) first.\n');
  process.exit(1);
}
const started = Date.now();
try {
  execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
} catch {
  process.stderr.write('teammate: the TypeScript build failed (see above); `npm run typecheck` shows every error.\n');
  process.exit(1);
}
// The `teammate` bin must be executable: npx links it once into its cache and later runs the file
// directly, so a rebuilt dist/main.js without the x bit fails with "teammate: Permission denied".
const bin = path.join(root, 'dist', 'main.js');
if (fs.existsSync(bin)) fs.chmodSync(bin, 0o755);
fs.writeFileSync(stamp, `${new Date().toISOString()}\n`);
if (!process.env.npm_config_loglevel?.match(/silent/)) process.stderr.write(`teammate: compiled src/ to dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);

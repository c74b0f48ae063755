/**
 * The first hour: every documented command works right after `npm ci` (the `prepare` script
 * builds dist/), and `npm start` on an unchanged tree does not pay for a TypeScript compile.
 * The build script runs here against a tiny project so the test compiles one file, not all of src/.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../harness/cli.js';
import { makeTempDir } from '../harness/temp-repo.js';

const temp = makeTempDir('teammate-build-');
afterAll(() => temp.cleanup());

const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; bin: Record<string, string> };

function miniProject(): string {
  const dir = path.join(temp.dir, 'project');
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'scripts'));
  fs.copyFileSync(path.join(PROJECT_ROOT, 'scripts/build-if-stale.mjs'), path.join(dir, 'scripts/build-if-stale.mjs'));
  fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  fs.writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}\n');
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', types: [], skipLibCheck: true } }));
  fs.writeFileSync(path.join(dir, 'tsconfig.build.json'), JSON.stringify({ extends: './tsconfig.json', compilerOptions: { rootDir: 'src', outDir: 'dist' }, include: ['src'] }));
  fs.writeFileSync(path.join(dir, 'src/main.ts'), 'export const version: number = 1;\n');
  return dir;
}

const build = (dir: string) => execFileSync(process.execPath, ['scripts/build-if-stale.mjs'], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });

describe('building dist/', () => {
  it('happens on install (prepare) and before start/bench/teammate only through the stale check', () => {
    expect(pkg.scripts.prepare).toBe('node scripts/build-if-stale.mjs');
    for (const script of ['prestart', 'preteammate']) expect(pkg.scripts[script], script).toBe('node scripts/build-if-stale.mjs');
    expect(pkg.scripts.bench).toMatch(/^node scripts\/build-if-stale\.mjs && /);
    // No script compiles unconditionally on the way to running the bot (the benchmarks compile
    // their own tree into dist-bench/, apart from dist/; they are a developer's tool).
    for (const [name, script] of Object.entries(pkg.scripts)) if (name !== 'typecheck') expect(script.replace(' && tsc -p tsconfig.bench.json', ''), name).not.toMatch(/\btsc\b|npm run build/);
    expect(pkg.bin.teammate).toBe('dist/main.js');
  });

  it('compiles when dist/ is missing, skips an unchanged tree, recompiles after an edit', () => {
    const dir = miniProject();
    build(dir);
    const out = path.join(dir, 'dist/main.js');
    expect(fs.readFileSync(out, 'utf8')).toContain('version = 1');
    // npx runs the bin file directly: it must be executable after every build.
    expect(fs.statSync(out).mode & 0o111).toBe(0o111);
    const builtAt = fs.statSync(out).mtimeMs;

    build(dir);
    expect(fs.statSync(out).mtimeMs).toBe(builtAt);

    const later = new Date(Date.now() + 5_000);
    fs.writeFileSync(path.join(dir, 'src/main.ts'), 'export const version: number = 2;\n');
    fs.utimesSync(path.join(dir, 'src/main.ts'), later, later);
    build(dir);
    expect(fs.readFileSync(out, 'utf8')).toContain('version = 2');
  });
});

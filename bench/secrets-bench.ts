import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { redactSecrets, secretRuleCount } from '../src/security/redact-secrets.js';
import { formatTable } from './table.js';

/**
 * What secret redaction costs at indexing time: every text file of a large repository through
 * `redactSecrets` (gitleaks' rules + ours, keyword-prefiltered), beside a plain read of the same
 * bytes and a single regex pass (one Slack-token pattern: the floor of any content check), and how
 * many findings it reports (each one is a string the index will not hold; read them for false
 * positives with BENCH_SECRETS_SHOW=1).
 */
export function runSecretsBench(repoRoot: string): string {
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })
    .split('\0')
    .filter(Boolean);
  const texts: { path: string; text: string }[] = [];
  const r0 = performance.now();
  for (const p of files) {
    try {
      const buf = fs.readFileSync(path.join(repoRoot, p));
      if (buf.length > 1024 * 1024 || buf.subarray(0, 8192).includes(0)) continue;
      texts.push({ path: p, text: buf.toString('utf8') });
    } catch {
      // submodules, symlinks to folders: not indexed either
    }
  }
  const readS = (performance.now() - r0) / 1000;
  const bytes = texts.reduce((n, t) => n + t.text.length, 0);

  const f0 = performance.now();
  const floor = /\bxox[abposr]-[A-Za-z0-9-]{6,}/;
  for (const t of texts) floor.test(t.text);
  const floorS = (performance.now() - f0) / 1000;

  redactSecrets('warm up the rules'); // compile outside the timing
  const perFile: number[] = [];
  const byRule = new Map<string, number>();
  const shown: string[] = [];
  const s0 = performance.now();
  for (const t of texts) {
    const t1 = performance.now();
    const res = redactSecrets(t.text, { path: t.path });
    const ms = performance.now() - t1;
    perFile.push(ms);
    if (process.env.BENCH_SECRETS_SHOW && ms > 20) shown.push(`slow: ${t.path} ${ms.toFixed(0)} ms, ${t.text.length} chars`);
    for (const f of res.found) {
      byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
      if (process.env.BENCH_SECRETS_SHOW) shown.push(`${t.path}:${f.line} ${f.ruleId}: ${t.text.split('\n')[f.line - 1]?.trim().slice(0, 160)}`);
    }
  }
  const redactS = (performance.now() - s0) / 1000;
  perFile.sort((a, b) => a - b);
  const mb = bytes / 1e6;
  const table = formatTable(
    ['step', 'files', 'MB', 'seconds', 'MB/s', 'p99 ms/file', 'max ms/file'],
    [
      ['read (anchor)', texts.length, mb, readS, mb / readS, '', ''],
      ['one regex per file (floor)', texts.length, mb, floorS, mb / floorS, '', ''],
      [`redactSecrets (${secretRuleCount()} rules)`, texts.length, mb, redactS, mb / redactS, perFile[Math.floor(perFile.length * 0.99)] ?? 0, perFile[perFile.length - 1] ?? 0],
    ],
  );
  const findings = [...byRule.entries()].sort((a, b) => b[1] - a[1]).map(([id, n]) => `${id} ${n}`).join(', ');
  return `secret redaction on ${path.basename(repoRoot)}\n${table}\nfindings: ${findings || 'none'}${shown.length ? `\n${shown.join('\n')}` : ''}`;
}

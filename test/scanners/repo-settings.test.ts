import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS, isScannerEnabled, loadRepoSettings, parseRepoSettings, RepoSettingsError } from '../../src/scanners/repo-settings.js';
import { makeTempDir } from '../harness/temp-repo.js';

describe('.teammate.yml', () => {
  it('is optional: without it every scanner is on with the default thresholds', async () => {
    const tmp = makeTempDir();
    try {
      const s = await loadRepoSettings(tmp.dir);
      expect(s.thresholds).toEqual(DEFAULT_THRESHOLDS);
      expect(isScannerEnabled(s, 'todo')).toBe(true);
    } finally {
      tmp.cleanup();
    }
  });

  it('reads switches, thresholds, the test command and the executor', () => {
    const s = parseRepoSettings(
      ['scanners:', '  review: false', '  ci: { enabled: false }', '  todo: true', 'thresholds:', '  issueAgeDays: 30', 'test: npm test -- --run', 'executor: github-issue'].join('\n'),
    );
    expect(isScannerEnabled(s, 'review')).toBe(false);
    expect(isScannerEnabled(s, 'ci')).toBe(false);
    expect(isScannerEnabled(s, 'todo')).toBe(true);
    expect(isScannerEnabled(s, 'issues')).toBe(true);
    expect(s.thresholds).toEqual({ ...DEFAULT_THRESHOLDS, issueAgeDays: 30 });
    expect(s.testCommand).toBe('npm test -- --run');
    expect(s.executor).toBe('github-issue');
  });

  it('an empty file means the defaults', () => {
    expect(parseRepoSettings('# nothing yet\n').thresholds).toEqual(DEFAULT_THRESHOLDS);
  });

  it('lists every problem with where it is', () => {
    const text = ['scanners:', '  todos: false', 'thresholds:', '  reviewConfidence: 2', 'executor: robot', 'colour: blue'].join('\n');
    let err: unknown;
    try {
      parseRepoSettings(text, '/repo/.teammate.yml');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RepoSettingsError);
    const problems = (err as RepoSettingsError).problems.join('\n');
    expect(problems).toMatch(/scanners\.todos: unknown scanner \(known: todo, dependencies, ci, issues, review\)/);
    expect(problems).toMatch(/thresholds\.reviewConfidence: /);
    expect(problems).toMatch(/executor: /);
    expect(problems).toMatch(/colour/);
    expect((err as Error).message).toMatch(/^\/repo\/\.teammate\.yml is invalid/);
  });

  it('says which line is not YAML', async () => {
    const tmp = makeTempDir();
    try {
      fs.writeFileSync(path.join(tmp.dir, '.teammate.yml'), 'scanners:\n  todo: [\n');
      await expect(loadRepoSettings(tmp.dir)).rejects.toThrow(/not valid YAML \(line \d+\)/);
    } finally {
      tmp.cleanup();
    }
  });
});

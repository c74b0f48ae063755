import { describe, expect, it } from 'vitest';
import { taskBranch, taskWorktreePath, withRepoLock } from '../../src/repos/task-worktree.js';

describe('task worktrees', () => {
  it('are one per repository and task, on teammate/task-<id>', () => {
    expect(taskBranch(12)).toBe('teammate/task-12');
    const a = taskWorktreePath('/data', 'acme/api', 12);
    expect(a).toMatch(/^\/data\/worktrees\/api-[0-9a-f]{8}\/task-12$/);
    expect(taskWorktreePath('/data', 'acme/api', 12)).toBe(a);
    // Same folder name, different repositories: never the same worktree.
    expect(taskWorktreePath('/data', 'other/api', 12)).not.toBe(a);
    expect(taskWorktreePath('/data', '/home/me/api', 12)).not.toBe(a);
  });

  it('run their git work on one repository one at a time, and a failure does not block the next', async () => {
    const log: string[] = [];
    const step = (name: string, ms: number, fail = false) => () =>
      new Promise<string>((resolve, reject) => {
        log.push(`${name} start`);
        setTimeout(() => {
          log.push(`${name} end`);
          if (fail) reject(new Error(name));
          else resolve(name);
        }, ms);
      });
    const results = await Promise.allSettled([
      withRepoLock('/r', step('a', 30, true)),
      withRepoLock('/r', step('b', 5)),
      withRepoLock('/other', step('c', 1)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(log.indexOf('b start')).toBeGreaterThan(log.indexOf('a end'));
    expect(log.indexOf('c start')).toBeLessThan(log.indexOf('a end'));
  });
});

import type { Executor } from '../src/executors/types.js';
import type { TaskSource } from '../src/tasks/types.js';

/** Does nothing: the benchmark measures the queue (claim, lease, result, events), not the work. */
export const noopExecutor: Executor = { name: 'noop', run: async () => ({ links: [], summary: 'nothing to do' }) };

export const benchSource: TaskSource = {
  load: async (t) => ({
    proposal: { id: t.proposalId, title: `bench ${t.id}`, why: '', plan: '', acceptance: '', suggestedTask: '', evidence: [], scanner: 'manual', rule: 'manual.bench', severity: 'info', repoId: t.repoId },
    repository: { id: t.repoId, root: '/nonexistent', label: 'bench' },
  }),
};

export const quietLogger = { info: () => {}, warn: () => {}, error: () => {} };

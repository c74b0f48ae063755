// One concurrent "click": its own thread, its own SQLite connection, the built code (dist/), so
// ten of these race on one database file for real (better-sqlite3 is synchronous per thread).
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../../dist/storage/database.js';
import { createProposalStore } from '../../dist/storage/proposal-store.js';
import { decideProposal } from '../../dist/proposals/decide-proposal.js';

const { file, proposalId, userId, action, barrier } = workerData;
const db = openDatabase(file);
const store = createProposalStore(db);
const flags = new Int32Array(barrier);
Atomics.add(flags, 0, 1);
Atomics.wait(flags, 1, 0); // until the test says go, so every thread decides at the same moment
try {
  const result = await decideProposal(
    { proposalId, userId, action, surface: 'slack' },
    { store, policy: { approvers: [], allowSelfApproval: false, executor: 'codex' }, now: () => Date.now(), recheck: async () => true },
  );
  parentPort.postMessage({ kind: result.kind, taskId: result.taskId ?? null, by: result.by ?? null });
} catch (err) {
  parentPort.postMessage({ kind: 'error', message: String(err?.message ?? err) });
} finally {
  db.close();
}

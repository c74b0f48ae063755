/**
 * The proactive loop's fixture, shared by the scan acceptance test, the loop's end-to-end test and
 * the noise benchmark: one comment marker per kind in four languages, and a GitHub repository whose
 * default branch has one failing CI run and no open issues.
 */
import { type FakeGitHub, routeActions, routeIssues } from './fake-github.js';

/** TODO, FIXME, HACK and XXX, one each, in TypeScript, Python, Go and HTML. */
export const PLANTED_MARKERS: Readonly<Record<string, string>> = {
  'src/server.ts': 'export function start() {}\n// TODO: close idle keep-alive sockets on shutdown\n',
  'src/parse.py': 'def parse(s):\n    return s  # FIXME: dates without a timezone are read as UTC\n',
  'src/retry.go': 'package x\n\n// HACK: sleep instead of waiting for the lock\nfunc f() {}\n',
  'web/index.html': '<p></p>\n<!-- XXX the logo URL points at the staging bucket -->\n',
};

/** Workflow "CI" failed on the default branch (job `test`, step `npm test`); the issue list is empty. */
export function routeFailingCi(gh: FakeGitHub, repo: { owner: string; name: string }): void {
  routeActions(gh, repo, [
    {
      id: 77,
      workflowId: 10,
      name: 'CI',
      path: '.github/workflows/ci.yml',
      conclusion: 'failure',
      createdAt: '2026-05-30T10:00:00Z',
      jobs: [{ id: 770, name: 'test', conclusion: 'failure', failedStep: 'npm test', log: 'FAIL parse\n##[error]Process completed with exit code 1.' }],
    },
  ]);
  routeIssues(gh, repo, []);
}

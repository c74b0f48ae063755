/**
 * issues: open GitHub issues labelled `bug` or `good first issue` that nobody has picked up
 * (unassigned, no open or merged pull request referencing them) and that are older than
 * `thresholds.issueAgeDays`, oldest first, bugs before good first issues.
 */
import { scrubSecrets } from '../../logging/scrub.js';
import type { Repository } from '../../repos/repository.js';
import type { Finding } from '../finding.js';
import { fingerprintOf } from '../fingerprint.js';
import { truncate } from '../truncate.js';
import { gitHubRepoOf } from '../github-repo-of.js';
import type { GitHubRepoRef, IssueInfo, Scanner } from '../types.js';

export const ISSUE_LABELS = ['bug', 'good first issue'] as const;
/** Timeline look-ups per scan: each costs two requests. */
const MAX_CANDIDATES = 30;
const DAY_MS = 86_400_000;

export function createIssuesScanner(): Scanner {
  return {
    name: 'issues',
    description: `open issues labelled ${ISSUE_LABELS.map((l) => `"${l}"`).join(' or ')}, unassigned, without a linked pull request, older than N days`,
    async scan(repo, ctx) {
      const { github, ref } = gitHubRepoOf(repo, ctx, 'issues');
      const now = ctx.clock.now().getTime();
      const minAgeMs = ctx.settings.thresholds.issueAgeDays * DAY_MS;
      const byNumber = new Map<number, { issue: IssueInfo; label: string }>();
      for (const label of ISSUE_LABELS) {
        for (const issue of await github.listOpenIssues(ref, { label, limit: 100 })) {
          if (!byNumber.has(issue.number)) byNumber.set(issue.number, { issue, label });
        }
      }
      const candidates = [...byNumber.values()]
        .filter(({ issue }) => issue.assignees.length === 0 && now - Date.parse(issue.createdAt) >= minAgeMs)
        .sort((a, b) => rank(a.label) - rank(b.label) || a.issue.createdAt.localeCompare(b.issue.createdAt))
        .slice(0, MAX_CANDIDATES);
      const findings: Finding[] = [];
      for (const { issue, label } of candidates) {
        ctx.signal.throwIfAborted();
        const status = await github.issueStatus(ref, issue.number);
        if (!status.open || status.assignees.length > 0 || status.linkedPullRequests.length > 0) continue;
        findings.push(issueFinding(repo, ref, issue, label, now));
      }
      return findings;
    },
    async recheck(finding, repo, ctx) {
      const { github, ref } = gitHubRepoOf(repo, ctx, 'issues');
      const status = await github.issueStatus(ref, Number(finding.meta?.issue));
      return status.open && status.assignees.length === 0 && status.linkedPullRequests.length === 0;
    },
  };
}

function rank(label: string): number {
  return label === 'bug' ? 0 : 1;
}

function issueFinding(repo: Repository, ref: GitHubRepoRef, issue: IssueInfo, label: string, now: number): Finding {
  const ageDays = Math.floor((now - Date.parse(issue.createdAt)) / DAY_MS);
  const bug = label === 'bug';
  const body = scrubSecrets(issue.body).trim();
  return {
    scanner: 'issues',
    rule: bug ? 'issues.bug' : 'issues.good-first-issue',
    title: truncate(`#${issue.number} ${scrubSecrets(issue.title)}`, 150),
    summary: `Issue #${issue.number} in ${repo.label}, labelled "${label}", has been open for ${ageDays} days with nobody assigned and no pull request.`,
    evidence: [{ url: issue.htmlUrl, label: `#${issue.number} by @${issue.author}, ${ageDays} days old (${issue.labels.join(', ')})`, excerpt: body ? truncate(body, 600) : undefined }],
    severity: bug ? 'medium' : 'low',
    confidence: bug ? 0.6 : 0.7,
    suggestedTask: `Fix issue #${issue.number} (“${truncate(scrubSecrets(issue.title), 120)}”): reproduce it${bug ? ' with a failing test' : ''}, make the change, and reference #${issue.number} in the pull request.`,
    fingerprint: fingerprintOf('issues', `${ref.owner}/${ref.name}`, issue.number),
    size: bug ? 'm' : 's',
    meta: { issue: issue.number, label, ageDays, author: issue.author },
  };
}

import { createCiScanner } from './ci/ci-scanner.js';
import { createDependenciesScanner } from './dependencies/dependencies-scanner.js';
import { createIssuesScanner } from './issues/issues-scanner.js';
import { createReviewScanner } from './review/review-scanner.js';
import { createTodoScanner } from './todo/todo-scanner.js';
import type { Scanner } from './types.js';

/**
 * Every scanner, in the order their findings are listed: what is broken (CI, vulnerable or
 * outdated dependencies) before review notes, issues and TODOs.
 */
export function listScanners(): Scanner[] {
  return [createCiScanner(), createDependenciesScanner(), createReviewScanner(), createIssuesScanner(), createTodoScanner()];
}

export function findScanner(scanners: readonly Scanner[], name: string): Scanner | undefined {
  return scanners.find((s) => s.name === name);
}

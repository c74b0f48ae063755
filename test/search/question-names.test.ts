import { afterAll, describe, expect, it } from 'vitest';
import { stem, stemMatches } from '../../src/search/definition-match.js';
import { asksForTests } from '../../src/search/file-boosts.js';
import type { RankingTuning } from '../../src/search/ranking-tuning.js';
import { py, rankFixture } from '../harness/search-fixture.js';
import { makeTempDir } from '../harness/temp-repo.js';

/**
 * How a question's words name code: a file named after what it holds, a definition whose name
 * glues two words together, a definition the question spells out in a test file. Each case also
 * runs with its rule switched off (its tuning at 0, or the definition renamed) to show that the
 * rule is what puts the right file first.
 */
const tmp = makeTempDir('teammate-question-names-');
afterAll(() => tmp.cleanup());

/** Unrelated files, so the question's words are rare in the index as they are in a real repository. */
const BACKGROUND = Object.fromEntries(
  ['billing', 'mailer', 'scheduler', 'storage', 'metrics', 'routing'].map((w, i) => [`other/${w}.py`, `def ${w}_run(value):\n    return value * ${i + 2}\n`]),
);

const searchFixture = (name: string, files: Record<string, string>, query: string, tuning: Partial<RankingTuning> = {}) =>
  rankFixture(tmp.dir, name, { ...BACKGROUND, ...files }, query, tuning);

describe('questions name files and definitions in their own words', () => {
  it('a question about one test lifts the test damping; a bare plural about the test suite does not', () => {
    expect(asksForTests('Where is the test class that validates URL generation defined?', 'question')).toBe(true);
    expect(asksForTests('Why does the test that checks handler behaviour verify the logger?', 'question')).toBe(true);
    expect(asksForTests('What does the test function test_save check?', 'question')).toBe(true);
    expect(asksForTests('Why would filter registration used in blueprint test cases be slow?', 'question')).toBe(false);
    expect(asksForTests('How are markers made visible to multiple test functions in the same scope?', 'question')).toBe(false);
  });

  it('a noun in -ation meets its verb: "the application location function" → locate_app', () => {
    for (const [noun, verb] of [['location', 'locate'], ['validation', 'validate'], ['evaluations', 'evaluated'], ['creation', 'creating']]) {
      expect(stem(noun as string)).toBe(stem(verb as string));
    }
  });

  it('a file named with the words asked ("the docstring checker") ranks above one that says them more often', async () => {
    const files = {
      'lint/docstring_checker.py': py('def report(node):', '    return node.doc == ""'),
      'lint/format.py': [1, 2, 3]
        .map((i) => py(`def rule_${i}(node):`, '    # An empty docstring: the docstring check treats an empty docstring as missing.', '    return not node.docstring'))
        .join('\n'),
    };
    const query = 'how does the docstring checker treat an empty docstring?';
    expect(await searchFixture('names-on', files, query)).toEqual(['lint/docstring_checker.py', 'lint/format.py']);
    expect((await searchFixture('names-off', files, query, { fileNameW: 0 }))[0]).toBe('lint/format.py');
  });

  it("a test file's marker word is not part of its subject: the code file named like the question stays first", async () => {
    const files = {
      'pkg/session_store.py': py('def save(session):', '    # Writes the session store.', '    return session'),
      'tests/test_session_store.py': py('from pkg.session_store import save', '', '', 'def test_save():', '    # The session store saves.', '    assert save(1) == 1'),
    };
    expect(await searchFixture('marker', files, 'how does the session store save a session?')).toEqual(['pkg/session_store.py', 'tests/test_session_store.py']);
  });

  it('a definition whose name glues two words ("assignname") matches a question that writes them apart', async () => {
    const linker = py('class Linker:', '    def visit_assignname(self, node):', '        return node.frame()');
    const names = py('def frame_of(node):', '    # The frame of an assignment name.', '    return node.frame()');
    const query = 'why does the visit of an assignment name defer the frame lookup?';
    expect(await searchFixture('glued', { 'walk/linker.py': linker, 'walk/scope.py': names }, query)).toEqual(['walk/linker.py', 'walk/scope.py']);
    // Without the definition's name counting, the file that says the words wins: the rule is what
    // lifts linker.py (before glued words counted, `visit_assignname` shared one word, too few).
    expect((await searchFixture('glued-off', { 'walk/linker.py': linker, 'walk/scope.py': names }, query, { defMatchW: 0 }))[0]).toBe('walk/scope.py');
  });

  it('a class the question names (DataclassWithOneItem) lifts the test file defining it above code that only uses its words', async () => {
    const files = {
      'tests/test_pprint.py': py('import dataclasses', '', '', '@dataclasses.dataclass', 'class DataclassWithOneItem:', '    foo: str'),
      'src/pprint.py': py(
        '# Pretty-prints a dataclass: one item per line, the dataclass name first, each item indented.',
        '# Where a dataclass is defined does not matter: the dataclass fields hold each item.',
        'def pformat_dataclass(obj):',
        '    # Format a dataclass item by item: what each dataclass field holds, where each item is defined.',
        '    return repr(obj)',
      ),
    };
    const query = 'where is the DataclassWithOneItem class defined and what does the dataclass hold?';
    expect((await searchFixture('named-on', files, query))[0]).toBe('tests/test_pprint.py');
    expect((await searchFixture('named-off', files, query, { namedLiftsRole: 0 }))[0]).toBe('src/pprint.py');
  });
});

describe('prefixed word forms', () => {
  it('a prefixed form meets its base (deduplicated ↔ duplicate, preprocessed ↔ process), short bases never do', () => {
    expect(stemMatches(stem('duplicate'), new Set([stem('deduplicated')]))).toBe(true);
    expect(stemMatches(stem('deduplicate'), new Set([stem('duplicates')]))).toBe(true);
    expect(stemMatches(stem('process'), new Set([stem('preprocessed')]))).toBe(true);
    expect(stemMatches(stem('code'), new Set([stem('decoded')]))).toBe(false);
    expect(stemMatches(stem('fix'), new Set([stem('prefix')]))).toBe(false);
  });

  it('"where are deliveries deduplicated?" finds the definition named for duplicate deliveries', async () => {
    const files = {
      'src/delivery_log.py': 'def log_deliveries(deliveries):\n    for d in deliveries:\n        print(d)\n',
      'src/delivery_filter.py': 'def duplicate_deliveries(deliveries, seen):\n    return [d for d in deliveries if d.id not in seen]\n',
    };
    expect((await searchFixture('dedupe', files, 'where are deliveries deduplicated?'))[0]).toBe('src/delivery_filter.py');
  });
});

describe('prefixed words in the full-text query', () => {
  it('"deduplicated" also searches for "duplicate": a file that only speaks of duplicates is found', async () => {
    const files = {
      'src/deliveries.py': 'def send_deliveries(deliveries):\n    for d in deliveries:\n        d.send()\n',
      'src/seen.py': 'def seen_before(key, seen):\n    # a duplicate key is dropped here\n    return key in seen\n',
    };
    expect(await searchFixture('prefix-variants', files, 'how are deliveries deduplicated?')).toContain('src/seen.py');
  });
});

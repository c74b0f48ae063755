import { afterAll, describe, expect, it } from 'vitest';
import { rankRole } from '../../src/search/file-boosts.js';
import { hyphenatedNames } from '../../src/search/parse-query.js';
import type { RankingTuning } from '../../src/search/ranking-tuning.js';
import { py, rankFixture } from '../harness/search-fixture.js';
import { makeTempDir } from '../harness/temp-repo.js';

/**
 * What counts as evidence for a question (not a bug report): a test named with the question's
 * words is not the answer unless the question names it; a hyphenated name is looked up verbatim;
 * a guide explains what a question asks about, release notes do not. Each ranking case also runs
 * with its rule switched off, to show that the rule is what orders the files.
 */
const tmp = makeTempDir('teammate-question-evidence-');
afterAll(() => tmp.cleanup());

// Unrelated code and tests, so the question's words (and "test") are as rare as in a real repository.
const BACKGROUND = Object.fromEntries(
  ['billing', 'mailer', 'scheduler', 'storage', 'metrics', 'routing'].flatMap((w, i) => [
    [`other/${w}.py`, `def ${w}_run(value):\n    return value * ${i + 2}\n`],
    [`tests/test_${w}.py`, `def test_${w}_run():\n    assert ${w}_run(1) == ${i + 2}\n`],
  ]),
);

const searchFixture = (name: string, files: Record<string, string>, query: string, tuning: Partial<RankingTuning> = {}) =>
  rankFixture(tmp.dir, name, { ...BACKGROUND, ...files }, query, tuning);

describe('a test named like the question', () => {
  const files = {
    'app/streams.py': py(
      'def keep_request_context(generator):',
      '    # The request context stays while the response streams.',
      '    return generator',
    ),
    'tests/test_app.py': py(
      'from app import streams',
      '',
      '',
      'def test_keeps_request_context():',
      '    assert streams.keep_request_context(iter([1]))',
    ),
  };

  it('does not outrank the code it tests: the test restates the behaviour, the code implements it', async () => {
    const query = 'how does the test keep the request context while streaming a response?';
    expect((await searchFixture('test-named-on', files, query))[0]).toBe('app/streams.py');
    // With the test's name counting like the code's, the test's name wins.
    expect((await searchFixture('test-named-off', files, query, { testDefMatch: 1 }))[0]).toBe('tests/test_app.py');
  });

  it('comes first when the question names it', async () => {
    const query = 'what does test_keeps_request_context check about the request context while streaming?';
    expect((await searchFixture('test-named-asked', files, query))[0]).toBe('tests/test_app.py');
  });
});

describe('hyphenated names', () => {
  it('are lint rules, flags and keys; two-part English compounds are not', () => {
    expect(hyphenatedNames('Why is assignment-from-no-return skipped for built-in generators?')).toEqual(['assignment-from-no-return']);
    expect(hyphenatedNames('what does --cache-dir change, and is it thread-safe?')).toEqual(['--cache-dir']);
    expect(hyphenatedNames('a read-only, well-known, thread-safety question')).toEqual([]);
    expect(hyphenatedNames('No-Member is reported where?')).toEqual([]);
    expect(hyphenatedNames('Assignment-From-No-Return: where is it raised?')).toEqual(['assignment-from-no-return']);
  });

  it('the file holding the name verbatim ranks above files that only use its words', async () => {
    const files = {
      'lint/typecheck.py': py(
        'MESSAGES = {',
        '    "E1111": ("Assigning the result of a call that has no return", "assignment-from-no-return"),',
        '}',
        '',
        '',
        'def is_ignored(function):',
        '    # A generator is not reported: calling a generator returns one.',
        '    return function.is_generator()',
      ),
      'lint/assignments.py': py(
        'def check_assignment(node):',
        '    # The assignment of a call with no return is reported.',
        '    return node.value',
      ),
    };
    const query = 'why is assignment-from-no-return not reported for a generator?';
    expect((await searchFixture('literal-on', files, query))[0]).toBe('lint/typecheck.py');
    expect((await searchFixture('literal-off', files, query, { messageW: 1 }))[0]).toBe('lint/assignments.py');
  });
});

describe('documentation for questions', () => {
  const guide = [
    '# Blueprints',
    '',
    'A blueprint groups views, static files and templates. Registering a blueprint on the application',
    'records its routes; the blueprint registration is deferred until the application registers it.',
    'Static files of a blueprint are served under the blueprint prefix with the application caching rules.',
  ].join('\n');
  const files = {
    'docs/blueprints.md': `${guide}\n`,
    'CHANGES.md': `# Changes\n\n## 2.0\n\n${guide.split('\n').slice(2).join('\n')}\n`,
    'src/app.py': py('def register(app, blueprint):', '    # registration of a blueprint', '    app.blueprints.append(blueprint)'),
  };
  const question = 'what is the blueprint registration architecture for static files and caching?';

  it('a guide explaining what is asked ranks above the code that mentions it; release notes stay damped', async () => {
    const ranked = await searchFixture('docs-on', files, question);
    expect(ranked[0]).toBe('docs/blueprints.md');
    expect(ranked.indexOf('src/app.py')).toBeLessThan(ranked.indexOf('CHANGES.md'));
    // Damped as for a bug report, the guide falls below the code.
    expect((await searchFixture('docs-off', files, question, { questionDocRole: 0.35 }))[0]).toBe('src/app.py');
  });

  it('release notes are told apart by name or folder', () => {
    for (const p of ['CHANGES.rst', 'CHANGELOG.md', 'docs/history.md', 'NEWS', 'doc/whatsnew/2/2.1/full.rst', 'doc/en/announce/release-2.5.1.rst', 'RELEASE-NOTES.md']) {
      expect(rankRole(p, 'doc')).toBe('changelog');
    }
    for (const p of ['docs/blueprints.rst', 'README.md', 'docs/changes-to-routing-guide.md']) expect(rankRole(p, 'doc')).toBe('doc');
  });
});

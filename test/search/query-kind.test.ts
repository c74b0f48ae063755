import { describe, expect, it } from 'vitest';
import { detectQueryKind } from '../../src/search/query-kind.js';

describe('detectQueryKind', () => {
  it.each([
    'where is the configuration loaded?',
    'how are Slack retries deduplicated?',
    'which function adds it to the invoice total?',
    'Which files are skipped when indexing',
    'what does parse_header_links return?',
    'why does `loadConfig` throw on an empty TEAMMATE_REPOS?',
  ])('a short question in prose: %s', (text) => {
    expect(detectQueryKind(text)).toBe('question');
  });

  it.each(['loadConfig', 'parse_header_links', 'src/search/chunk.ts', '`Session.resolve_redirects`', 'find_best_app()', 'Foo::bar'])(
    'a bare identifier or path: %s',
    (text) => {
      expect(detectQueryKind(text)).toBe('lookup');
    },
  );

  it('plain words are not a lookup, even one or two of them', () => {
    expect(detectQueryKind('configuration')).toBe('question');
    expect(detectQueryKind('retry webhooks')).toBe('question');
  });

  it('a stack trace, a quoted error or a code block make a bug report, however short', () => {
    expect(detectQueryKind('Traceback (most recent call last):\n  File "a.py", line 3, in <module>\n    f()\nValueError: bad')).toBe('bug-report');
    expect(detectQueryKind('TypeError: cannot read properties of undefined')).toBe('bug-report');
    expect(detectQueryKind('    at loadConfig (/app/src/config/load.ts:12:7)')).toBe('bug-report');
    expect(detectQueryKind('this fails:\n```\nrequests.get(url, timeout=None)\n```')).toBe('bug-report');
  });

  it('an issue with a title and several paragraphs is a bug report', () => {
    const issue = 'Session drops cookies on redirect\n\nWhen a 302 sets a cookie the next request lacks it.\n\nSteps: log in, follow the redirect.\n\nVersions: 2.31';
    expect(detectQueryKind(issue)).toBe('bug-report');
  });
});

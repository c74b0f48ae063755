import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging/logger.js';
import { createCodeSearch } from '../../src/search/code-search.js';
import { openDatabase } from '../../src/storage/database.js';
import { migrate } from '../../src/storage/migrate.js';
import { makeGitRepo, makeTempDir } from '../harness/temp-repo.js';

/**
 * "Which function adds it to the invoice total?": the file that defines `invoiceTotal` must come
 * before a file that imports and calls it, even though the caller says "invoice" and "total" more
 * often. One fixture per language whose definitions come from tree-sitter. `def` is the line range
 * of the definition the hit must cite.
 */
const CASES: { lang: string; defining: string; definingText: string; def: [number, number]; caller: string; callerText: string }[] = [
  {
    lang: 'TypeScript',
    defining: 'src/billing/sum.ts',
    definingText: 'export interface Line { price: number }\n\nexport function invoiceTotal(lines: Line[]): number {\n  return lines.reduce((s, l) => s + l.price, 0);\n}\n',
    def: [3, 5],
    caller: 'src/checkout/receipt.ts',
    callerText:
      "import { invoiceTotal } from '../billing/sum';\n\n// Prints the invoice total: the invoice total is what the customer pays.\nexport function printReceipt(lines) {\n  const total = invoiceTotal(lines);\n  return `invoice total ${total}, invoice ${lines.length} lines, total due ${total}`;\n}\n",
  },
  {
    lang: 'TSX',
    defining: 'src/billing/sum.tsx',
    definingText:
      "export function formatPrice(cents: number): string {\n  return (cents / 100).toFixed(2);\n}\n\nexport function invoiceTotal(lines: { price: number }[]): number {\n  return lines.reduce((s, l) => s + l.price, 0);\n}\n\nexport const currency = 'EUR';\n",
    def: [5, 7],
    caller: 'src/checkout/Receipt.tsx',
    callerText:
      "import { invoiceTotal } from '../billing/sum';\n\n// The invoice total, the invoice lines and the total due.\nexport function Receipt({ lines }) {\n  const total = invoiceTotal(lines);\n  return <p>invoice total {total}, invoice lines {lines.length}, total due {total}</p>;\n}\n",
  },
  {
    lang: 'JavaScript',
    defining: 'lib/billing/sum.js',
    definingText: 'function invoiceTotal(lines) {\n  return lines.reduce((s, l) => s + l.price, 0);\n}\n\nmodule.exports = { invoiceTotal };\n',
    def: [1, 3],
    caller: 'lib/checkout/receipt.js',
    callerText:
      "const { invoiceTotal } = require('../billing/sum');\n\n// The invoice total, the invoice lines and the total due.\nfunction printReceipt(lines) {\n  const total = invoiceTotal(lines);\n  return `invoice total ${total}, invoice ${lines.length}, total due ${total}`;\n}\nmodule.exports = { printReceipt };\n",
  },
  {
    lang: 'Python',
    defining: 'shop/billing/sums.py',
    definingText: 'def format_price(cents):\n    return f"{cents / 100:.2f}"\n\n\ndef invoice_total(lines):\n    return sum(line.price for line in lines)\n\n\nCURRENCY = "EUR"\n',
    def: [5, 6],
    caller: 'shop/checkout/receipt.py',
    callerText:
      'from shop.billing.sums import invoice_total\n\n\ndef print_receipt(lines):\n    """The invoice total, the invoice lines and the total due."""\n    total = invoice_total(lines)\n    return f"invoice total {total}, invoice {len(lines)}, total due {total}"\n',
  },
  {
    lang: 'Go',
    defining: 'billing/sum.go',
    definingText: 'package billing\n\nfunc InvoiceTotal(lines []Line) int {\n\ttotal := 0\n\tfor _, l := range lines {\n\t\ttotal += l.Price\n\t}\n\treturn total\n}\n',
    def: [3, 9],
    caller: 'checkout/receipt.go',
    callerText:
      'package checkout\n\nimport "shop/billing"\n\n// PrintReceipt shows the invoice total, the invoice lines and the total due.\nfunc PrintReceipt(lines []billing.Line) string {\n\ttotal := billing.InvoiceTotal(lines)\n\treturn fmt.Sprintf("invoice total %d, invoice %d, total due %d", total, len(lines), total)\n}\n',
  },
  {
    lang: 'Java',
    defining: 'src/main/java/shop/billing/Sums.java',
    definingText:
      'package shop.billing;\n\npublic final class Sums {\n  public static int invoiceTotal(java.util.List<Line> lines) {\n    int total = 0;\n    for (Line l : lines) total += l.price;\n    return total;\n  }\n}\n',
    def: [4, 8],
    caller: 'src/main/java/shop/checkout/Receipt.java',
    callerText:
      'package shop.checkout;\n\nimport static shop.billing.Sums.invoiceTotal;\n\n/** The invoice total, the invoice lines and the total due. */\npublic final class Receipt {\n  public static String print(java.util.List<Line> lines) {\n    int total = invoiceTotal(lines);\n    return "invoice total " + total + ", invoice " + lines.size() + ", total due " + total;\n  }\n}\n',
  },
  {
    lang: 'Rust',
    defining: 'src/billing/sums.rs',
    definingText: 'pub fn format_price(cents: u64) -> String {\n    format!("{}.{:02}", cents / 100, cents % 100)\n}\n\npub fn invoice_total(lines: &[Line]) -> u64 {\n    lines.iter().map(|l| l.price).sum()\n}\n\npub const CURRENCY: &str = "EUR";\n',
    def: [5, 7],
    caller: 'src/checkout/receipt.rs',
    callerText:
      'use crate::billing::sums::invoice_total;\n\n/// The invoice total, the invoice lines and the total due.\npub fn print_receipt(lines: &[Line]) -> String {\n    let total = invoice_total(lines);\n    format!("invoice total {}, invoice {}, total due {}", total, lines.len(), total)\n}\n',
  },
  {
    lang: 'Ruby',
    defining: 'lib/billing/sums.rb',
    definingText: 'module Billing\n  def self.invoice_total(lines)\n    lines.sum(&:price)\n  end\nend\n',
    def: [2, 4],
    caller: 'lib/checkout/receipt.rb',
    callerText:
      "require 'billing/sums'\n\n# The invoice total, the invoice lines and the total due.\ndef print_receipt(lines)\n  total = Billing.invoice_total(lines)\n  \"invoice total #{total}, invoice #{lines.size}, total due #{total}\"\nend\n",
  },
];

const tmp = makeTempDir('teammate-question-ranking-');
afterAll(() => tmp.cleanup());

async function searchFixture(name: string, files: Record<string, string>, query: string) {
  const root = path.join(tmp.dir, name);
  makeGitRepo(root, files);
  const db = openDatabase(':memory:');
  migrate(db);
  const search = createCodeSearch(db, createLogger({ level: 'silent' }));
  const repo = { id: root, root, label: name };
  await search.index(repo);
  try {
    return await search.search(repo, query, { limit: 5, explain: true });
  } finally {
    db.close();
  }
}

describe('questions rank the defining file first and cite the definition', () => {
  it.each(CASES)('$lang: the file defining invoiceTotal ranks above the file calling it', async (c) => {
    const hits = await searchFixture(`invoice-${c.lang}`, { [c.defining]: c.definingText, [c.caller]: c.callerText }, 'which function adds it to the invoice total?');
    expect(hits.map((h) => h.path)).toEqual([c.defining, c.caller]);
    expect(hits[0]).toMatchObject({ startLine: c.def[0], endLine: c.def[1] });
  });

  it('"where is the configuration loaded?" cites loadConfig, not its neighbour ConfigError', async () => {
    const config = [
      '/** Thrown with every problem at once. */',
      'export class ConfigError extends Error {',
      '  constructor(readonly problems: string[]) {',
      "    super(`configuration invalid: ${problems.join(', ')}`);",
      '  }',
      '}',
      '',
      'export function loadConfig(env: Record<string, string | undefined>): Config {',
      '  const problems: string[] = [];',
      "  const repos = (env.TEAMMATE_REPOS ?? '').split(',');",
      '  if (problems.length > 0) throw new ConfigError(problems);',
      '  return { repos };',
      '}',
      '',
    ].join('\n');
    const hits = await searchFixture(
      'config',
      {
        'src/config/load-config.ts': config,
        'src/main.ts': "import { loadConfig } from './config/load-config';\n\nconst config = loadConfig(process.env);\nconsole.log(config);\n",
      },
      'where is the configuration loaded?',
    );
    expect(hits[0]).toMatchObject({ path: 'src/config/load-config.ts', startLine: 8, endLine: 13 });
    expect(hits[0]?.snippet).toMatch(/^export function loadConfig/);
  });

  it('a lookup by name lands on its definition', async () => {
    const hits = await searchFixture(
      'lookup',
      {
        'pkg/sessions.py': 'class Session:\n    """Holds cookies."""\n\n    def resolve_redirects(self, resp):\n        return resp\n',
        'pkg/api.py': 'from pkg.sessions import Session\n\n\ndef get(url):\n    return Session().resolve_redirects(url)\n',
      },
      'resolve_redirects',
    );
    expect(hits[0]).toMatchObject({ path: 'pkg/sessions.py', startLine: 4, endLine: 5 });
  });
});

/**
 * Bug-report boilerplate that matches everything and points at nothing: issue-template comments
 * and checklists, dependency/version listings (`pip freeze`, `show_versions()`, "INSTALLED
 * VERSIONS"), test-runner headers. Dropping it keeps "version", "platform" or "python" from pulling
 * setup.py and version helpers to the top of every ranking.
 */
const VERSION = /\bv?\d+\.\d+(?:\.\d+)?(?:[-.+]?\w+)?\b/g;
const LINE_NOISE: readonly RegExp[] = [
  /^\s*[\w.\-[\]]+\s*(?:==|>=|<=|~=|@)\s*[\w.+\-:/]+\s*$/, // pip freeze / requirements
  /^\s*[\w.-]+\s*:\s*(?:None|[\w.+-]*\d[\w.+-]*(?:\s+\S+)?)\s*$/, // "numpy: 1.19.2", "commit: None"
  /^\s*[\w.-]+\s*:\s*(?:[A-Za-z]:)?[\\/][^\s,;]*\s*$/, // "rootdir: /home/x", "cachedir: .cache" style paths
  /^\s*[-*]\s*\[[ xX]\]\s.*$/, // template checklists
  /^\s*(?:Package|-{3,})\s+(?:Version|-{3,})\s*$/, // pip list header
  /^\s*[\w.-]+\s{2,}\d[\w.+-]*\s*$/, // pip list row
];

/** A line listing two or more versions ("platform linux -- Python 3.9.1, pytest-6.2.0, py-1.10.0") is an environment dump. */
function listsVersions(line: string): boolean {
  // Stack frames carry versions in their paths (python3.9/…) and are evidence, not a dump.
  if (/File "|\bline \d+|^\s*at\s/.test(line)) return false;
  return (line.match(VERSION) ?? []).length >= 2 && line.length < 300 && !/[a-z]{3,}\s+[a-z]{3,}\s+[a-z]{3,}\s+[a-z]{3,}/.test(line.replace(VERSION, ''));
}

export function stripBoilerplate(text: string): string {
  const withoutComments = text.replace(/<!--[\s\S]*?-->/g, ' ');
  const out: string[] = [];
  let inVersions = false;
  let versionLines = 0;
  for (const line of withoutComments.split('\n')) {
    if (/INSTALLED VERSIONS|output of `?(?:[\w.]*show_versions|[\w-]+ --version|pip (?:list|freeze)|conda list)/i.test(line)) {
      inVersions = true;
      versionLines = 0;
      continue;
    }
    if (inVersions) {
      // The fence that opens the listing is part of it; the next one (or a heading) closes it.
      if (/^\s*(?:<\/details>|```\s*$|#{1,6}\s)/.test(line) && (versionLines > 0 || !line.includes('```'))) inVersions = false;
      else versionLines++;
      continue;
    }
    if (LINE_NOISE.some((re) => re.test(line)) || listsVersions(line)) continue;
    out.push(line);
  }
  return out.join('\n');
}

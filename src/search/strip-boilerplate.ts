/**
 * Bug-report boilerplate that matches everything and points at nothing: issue-template comments
 * and checklists, dependency/version listings (`pip freeze`, `show_versions()`, "INSTALLED
 * VERSIONS"), test-runner headers. Dropping it keeps "version", "platform" or "python" from pulling
 * setup.py and version helpers to the top of every ranking.
 */
const LINE_NOISE: readonly RegExp[] = [
  /^\s*[\w.\-[\]]+\s*(?:==|>=|<=|~=|@)\s*[\w.+\-:/]+\s*$/, // pip freeze / requirements
  /^\s*[\w.-]+\s*:\s*(?:None|[\w.+-]*\d[\w.+-]*(?:\s+\S+)?)\s*$/, // "numpy: 1.19.2", "commit: None"
  /^\s*(?:platform|rootdir|cachedir|plugins|collecting|collected|configfile|testpaths)\b.*$/i,
  /^\s*(?:python|os|sys\.version|machine|processor|byteorder|LC_ALL|LANG|LOCALE|libhdf5|libnetcdf)\b[^a-z]*$/i,
  /^\s*[-*]\s*\[[ xX]\]\s.*$/, // template checklists
  /^\s*(?:Package|-{3,})\s+(?:Version|-{3,})\s*$/, // pip list header
  /^\s*[\w.-]+\s{2,}\d[\w.+-]*\s*$/, // pip list row
];

export function stripBoilerplate(text: string): string {
  const withoutComments = text.replace(/<!--[\s\S]*?-->/g, ' ');
  const out: string[] = [];
  let inVersions = false;
  for (const line of withoutComments.split('\n')) {
    if (/INSTALLED VERSIONS|output of `?(?:xr\.show_versions|pip (?:list|freeze))/i.test(line)) {
      inVersions = true;
      continue;
    }
    if (inVersions) {
      if (/^\s*(?:<\/details>|```\s*$|#{1,6}\s)/.test(line)) inVersions = false;
      continue;
    }
    if (LINE_NOISE.some((re) => re.test(line))) continue;
    out.push(line);
  }
  return out.join('\n');
}

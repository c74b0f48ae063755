/**
 * The core's Markdown as plain terminal text: links become `label (url)` (or the bare URL),
 * emphasis and inline-code marks go, headings lose their `#`, and fenced code is indented by four
 * spaces instead of fenced. Nothing Slack-specific is ever printed.
 */
export function markdownToText(markdown: string): string {
  return markdown
    .split(/(```[^\n]*\n[\s\S]*?```)/g)
    .map((segment) => {
      if (segment.startsWith('```')) {
        const body = segment.replace(/^```[^\n]*\n/, '').replace(/\n?```$/, '');
        return body
          .split('\n')
          .map((line) => (line === '' ? '' : `    ${line.replace(/`\u200b``/g, '```')}`))
          .join('\n');
      }
      return segment
        .replace(/\[([^\]\n]+)\]\(([^)\s]+)\)/g, (_m, label: string, url: string) => (url === label ? url : `${label} (${url})`))
        .replace(/^#{1,6}[ \t]+(.+?)[ \t]*#*$/gm, '$1')
        .replace(/\*\*(.+?)\*\*/g, '$1')
        // *emphasis*, not `*.ts` or `2 * 3`: the marks hug their text, as in CommonMark.
        .replace(/(^|[^\w*])\*(?![\s*])([^*\n]*?[^\s*])\*(?![\w*])/g, '$1$2')
        .replace(/~~(.+?)~~/g, '$1')
        .replace(/`([^`\n]+)`/g, '$1');
    })
    .join('');
}

/** Slack's three control characters, escaped as its docs require (also inside code). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The core's Markdown as Slack mrkdwn: escape Slack's control characters (so `Promise<T>` isn't
 * eaten as a link), then fix the differences (bold, headings, links, fence languages) outside code
 * blocks. Links are the core's verified citations or the model's own; `<!channel>` and friends
 * can only appear escaped.
 */
export function markdownToMrkdwn(text: string): string {
  return text
    .split(/(```[\s\S]*?```)/g)
    .map((segment) => {
      if (segment.startsWith('```')) return escapeMrkdwn(segment.replace(/^```[\w+-]*[ \t]*\n/, '```\n'));
      return escapeMrkdwn(segment)
        .replace(/^&gt;(?=[ \t])/gm, '>') // keep block quotes
        .replace(/\*\*(.+?)\*\*/g, '*$1*')
        .replace(/^#{1,6}[ \t]+\*?(.+?)\*?[ \t]*#*$/gm, '*$1*')
        .replace(/~~(.+?)~~/g, '~$1~')
        .replace(/\[([^\]\n|]+)\]\((https?:\/\/[^)\s|]+)\)/g, (_m, label: string, url: string) => `<${url}|${label}>`);
    })
    .join('');
}

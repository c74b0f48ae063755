/** Cuts `s` to `max` characters, marking the cut with an ellipsis (titles must fit 150 for Slack headers). */
export function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

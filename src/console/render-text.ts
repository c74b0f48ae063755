/**
 * Slack mrkdwn → plain terminal text. Links `<url|label>` keep their label and show the URL only
 * when it adds something (a GitHub permalink), user/channel mentions lose their angle brackets.
 */
export function mrkdwnToText(mrkdwn: string): string {
  return mrkdwn
    .replace(/<((?:https?|file):[^|>]+)\|([^>]+)>/g, (_m, url: string, label: string) => (url === label ? url : `${label} (${url})`))
    .replace(/<((?:https?):[^>|]+)>/g, '$1')
    .replace(/<[@#!]([^>|]+)(?:\|([^>]+))?>/g, (_m, id: string, label?: string) => `@${label ?? id}`)
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/**
 * Splits Slack mrkdwn into chunks of at most `max` characters, preferring paragraph boundaries,
 * then line boundaries, then spaces. A chunk never ends inside a ``` code fence: the fence is
 * closed at the end of the chunk and reopened at the start of the next, so every chunk renders on
 * its own (Slack renders each section block separately).
 */
const FENCE = '```';
const CLOSE = `\n${FENCE}`;
const OPEN = `${FENCE}\n`;

function countFences(line: string): number {
  return line.split(FENCE).length - 1;
}

/** Paragraphs separated by blank lines, keeping a fenced block (blank lines included) whole. */
function paragraphsOf(text: string): string[] {
  const out: string[] = [];
  let current: string[] = [];
  let inFence = false;
  for (const line of text.split('\n')) {
    if (!inFence && line.trim() === '' ) {
      if (current.length > 0) out.push(current.join('\n'));
      current = [];
      continue;
    }
    current.push(line);
    if (countFences(line) % 2 === 1) inFence = !inFence;
  }
  if (current.length > 0) out.push(current.join('\n'));
  return out;
}

/** A line longer than `max` is cut at the last space before the limit (or hard, if none). */
function cutLongLine(line: string, max: number): string[] {
  const out: string[] = [];
  let rest = line;
  while (rest.length > max) {
    let cut = rest.lastIndexOf(' ', max);
    if (cut < max / 2) cut = max;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^ /, '');
  }
  out.push(rest);
  return out;
}

export function splitMrkdwn(text: string, max = 3000): string[] {
  if (max < 40) throw new Error('splitMrkdwn: max too small to hold a reopened fence');
  const normalized = text.replace(/\r\n/g, '\n').trim();
  if (normalized === '') return [];
  if (normalized.length <= max && countFences(normalized) % 2 === 0) return [normalized];

  const chunks: string[] = [];
  let current = '';
  let inFence = false; // fence state at the end of `current`

  const flush = () => {
    if (current.trim() === '' || current === OPEN.trimEnd()) {
      current = inFence ? OPEN.trimEnd() : '';
      return;
    }
    chunks.push(inFence ? current + CLOSE : current);
    current = inFence ? OPEN.trimEnd() : '';
  };

  /** Appends `piece` after `sep`, flushing first when it would not fit with a closing fence. */
  const append = (piece: string, sep: string) => {
    const fencesAfter = inFence !== (countFences(piece) % 2 === 1);
    const joined = current === '' ? piece : current + sep + piece;
    if (joined.length + (fencesAfter ? CLOSE.length : 0) <= max) {
      current = joined;
      inFence = fencesAfter;
      return true;
    }
    return false;
  };

  for (const paragraph of paragraphsOf(normalized)) {
    if (append(paragraph, '\n\n')) continue;
    // Does not fit: start a new chunk, then place the paragraph line by line.
    flush();
    if (append(paragraph, '\n')) continue;
    const budget = max - OPEN.length - CLOSE.length;
    for (const longLine of paragraph.split('\n')) {
      for (const line of cutLongLine(longLine, budget)) {
        if (append(line, '\n')) continue;
        flush();
        if (!append(line, '\n')) throw new Error('splitMrkdwn: line does not fit after cutting (bug)');
      }
    }
  }
  if (current.trim() !== '' && current !== OPEN.trimEnd()) chunks.push(inFence ? current + CLOSE : current);
  return chunks;
}

/**
 * Finds every occurrence of a set of ASCII keywords in one pass, case-insensitively (an
 * Aho-Corasick automaton compiled to a dense table). Secret rules only run where one of their
 * keywords appears, and this pass is what keeps that check cheap on every indexed file.
 */
export interface KeywordScanner {
  /** Calls `onHit(keywordIndex, startOffset)` for every occurrence, overlapping ones included. */
  scan(text: string, onHit: (keyword: number, start: number) => void): void;
}

const ALPHABET = 128;

export function createKeywordScanner(keywords: readonly string[]): KeywordScanner {
  const words = keywords.map((k) => k.toLowerCase());
  for (const w of words) {
    if (w === '' || /[^\x00-\x7f]/.test(w)) throw new Error(`keyword "${w}" must be non-empty ASCII`);
  }
  // Trie.
  const children: Map<number, number>[] = [new Map()];
  const outputs: number[][] = [[]];
  words.forEach((w, index) => {
    let node = 0;
    for (let i = 0; i < w.length; i++) {
      const c = w.charCodeAt(i);
      let next = children[node]!.get(c);
      if (next === undefined) {
        next = children.length;
        children.push(new Map());
        outputs.push([]);
        children[node]!.set(c, next);
      }
      node = next;
    }
    outputs[node]!.push(index);
  });
  // Breadth-first: failure links, then the full transition table (a DFA: no fail walks at scan time).
  const nodes = children.length;
  const delta = new Int32Array(nodes * ALPHABET);
  const fail = new Int32Array(nodes);
  const queue: number[] = [];
  for (let c = 0; c < ALPHABET; c++) {
    const next = children[0]!.get(c);
    if (next !== undefined) {
      delta[c] = next;
      queue.push(next);
    }
  }
  for (let qi = 0; qi < queue.length; qi++) {
    const node = queue[qi]!;
    outputs[node]!.push(...outputs[fail[node]!]!);
    for (let c = 0; c < ALPHABET; c++) {
      const next = children[node]!.get(c);
      if (next !== undefined) {
        fail[next] = delta[fail[node]! * ALPHABET + c]!;
        delta[node * ALPHABET + c] = next;
        queue.push(next);
      } else {
        delta[node * ALPHABET + c] = delta[fail[node]! * ALPHABET + c]!;
      }
    }
  }
  const lengths = words.map((w) => w.length);
  const hasOutput = outputs.map((o) => o.length > 0);

  return {
    scan(text, onHit) {
      let state = 0;
      for (let i = 0; i < text.length; i++) {
        let c = text.charCodeAt(i);
        if (c >= ALPHABET) {
          state = 0; // keywords are ASCII: nothing spans a non-ASCII character
          continue;
        }
        if (c >= 65 && c <= 90) c += 32; // fold A-Z
        state = delta[state * ALPHABET + c]!;
        if (hasOutput[state]) {
          for (const k of outputs[state]!) onHit(k, i + 1 - lengths[k]!);
        }
      }
    },
  };
}

import { redactSecrets } from '../security/redact-secrets.js';
import { chunkLines } from './chunk.js';
import { type Definition, extractDefinitions } from './definitions.js';
import { codeTokenString, identifierTokens, tokenizePath, tokenString } from './tokenize.js';

export interface PreparedChunk {
  readonly startLine: number;
  readonly endLine: number;
  readonly text: string;
  readonly pathTokens: string;
  readonly defTokens: string;
  readonly bodyTokens: string;
}

export interface PreparedFile {
  readonly lines: number;
  readonly definitions: readonly Definition[];
  readonly chunks: readonly PreparedChunk[];
}

/**
 * Everything stored for one file, computed without touching the database (so it can run in a
 * worker). Secret-shaped tokens are scrubbed from the text before chunking: neither the stored
 * text nor the token stream can hold a secret.
 */
export function prepareFile(relPath: string, rawText: string): PreparedFile {
  const text = redactSecrets(rawText, { path: relPath }).text;
  const definitions = extractDefinitions(relPath, text);
  const chunks = chunkLines(text, definitions);
  const pathTokens = tokenString(tokenizePath(relPath));
  return {
    lines: text.split('\n').length,
    definitions,
    chunks: chunks.map((c) => {
      const defs = definitions.filter((d) => d.startLine >= c.startLine && d.startLine <= c.endLine);
      return {
        startLine: c.startLine,
        endLine: c.endLine,
        text: c.text,
        pathTokens,
        defTokens: tokenString(defs.flatMap((d) => identifierTokens(d.name))),
        bodyTokens: codeTokenString(c.text),
      };
    }),
  };
}

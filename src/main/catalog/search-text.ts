/**
 * Text rules of the catalog's full-text search. FTS5's unicode61 tokenizer keeps a run of Chinese characters as one
 * token, so 收入 would not find 家庭收入; indexing each CJK character as its own token and querying a CJK run as a
 * phrase finds any substring. Latin words match by prefix (adu → adult). Highlighting follows the same rules.
 */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const CJK_ALL = new RegExp(CJK.source, 'gu');
const WORD = /[\p{L}\p{N}]+/gu;

/** Text as stored in the index: CJK characters spaced apart. */
export function indexText(text: string): string {
  return text.replace(CJK_ALL, ' $& ');
}

export interface QueryPiece {
  text: string;
  cjk: boolean;
}

/** A query's pieces: runs of CJK characters (matched as phrases) and latin words (matched as prefixes). */
export function queryPieces(query: string): QueryPiece[] {
  const pieces: QueryPiece[] = [];
  for (const [word] of query.matchAll(WORD)) {
    let run = '';
    let runCjk = false;
    for (const ch of word) {
      const isCjk = CJK.test(ch);
      if (run !== '' && isCjk !== runCjk) {
        pieces.push({ text: run, cjk: runCjk });
        run = '';
      }
      run += ch;
      runCjk = isCjk;
    }
    if (run) pieces.push({ text: run, cjk: runCjk });
  }
  return pieces;
}

/** The FTS5 MATCH expression for a query (every piece must match); null when there is nothing to search for. */
export function matchExpression(query: string): string | null {
  const pieces = queryPieces(query);
  if (pieces.length === 0) return null;
  return pieces.map((p) => (p.cjk ? `"${[...p.text].join(' ')}"` : `"${p.text}"*`)).join(' ');
}

const isWordChar = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}]/u.test(ch) && !CJK.test(ch);

/** A field cut into segments, those the query matched marked `hit`. */
export function highlight(text: string, pieces: readonly QueryPiece[]): { text: string; hit: boolean }[] {
  const lower = text.toLowerCase();
  const marks = new Uint8Array(text.length);
  for (const piece of pieces) {
    const needle = piece.text.toLowerCase();
    for (let at = lower.indexOf(needle); at !== -1; at = lower.indexOf(needle, at + 1)) {
      // a latin piece matches at the start of a word, as the index does
      if (!piece.cjk && isWordChar(text[at - 1])) continue;
      marks.fill(1, at, at + needle.length);
    }
  }
  const segments: { text: string; hit: boolean }[] = [];
  for (let i = 0; i < text.length; ) {
    let j = i;
    while (j < text.length && marks[j] === marks[i]) j++;
    segments.push({ text: text.slice(i, j), hit: marks[i] === 1 });
    i = j;
  }
  return segments;
}

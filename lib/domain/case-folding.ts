// Unicode full case folding (CaseFolding.txt, statuses C and F; not T), for comparing identifiers.
//
// Why no package: of the two on npm, `fold-case` (1.0.0, 2014) carries Unicode 7.0 tables and is
// unmaintained; `unicode-case-folding` (1.1.1) is current and correct but is a 25 kB table that
// duplicates what the runtime already ships. Node's ICU (Unicode 17 in Node 20.20) knows every
// character's full upper- and lowercase mappings, and folding agrees with them: checked over every
// code point against `unicode-case-folding`'s CaseFolding.txt table, "uppercase, then lowercase,
// one code point at a time, until nothing changes" puts two strings in the same class exactly when
// full case folding does, with one exception, U+0131 LATIN SMALL LETTER DOTLESS I, which folding
// leaves alone (its only folding is the Turkic T status) and which upper-then-lower would turn
// into "i". The class representative can differ (Cherokee folds to its capitals, this to its small
// letters); only equality matters for a comparison key. test/unit/domain/case-folding.test.ts pins
// the examples from CaseFolding.txt and the properties that make this a folding.

const DOTLESS_I = '\u0131';

const folded = new Map<string, string>();

function foldCodePoint(char: string): string {
  if (char === DOTLESS_I) return char;
  let current = char;
  // ẞ → ß → ss needs two rounds; nothing in Unicode 17 needs a third, the bound is a guard.
  for (let round = 0; round < 4; round += 1) {
    let next = '';
    for (const part of current) next += part === DOTLESS_I ? part : part.toUpperCase().toLowerCase();
    if (next === current) break;
    current = next;
  }
  return current;
}

/**
 * Full case folding: `foldCase('Straße') === foldCase('STRASSE')`. Per code point, so a Greek
 * sigma folds the same wherever it stands (String#toLowerCase makes a final one "ς").
 */
export function foldCase(text: string): string {
  let out = '';
  for (const char of text) {
    // ASCII is by far the common case and needs no table.
    const code = char.charCodeAt(0);
    if (code < 0x80) {
      out += code >= 0x41 && code <= 0x5a ? String.fromCharCode(code + 0x20) : char;
      continue;
    }
    let result = folded.get(char);
    if (result === undefined) {
      result = foldCodePoint(char);
      if (folded.size < 10_000) folded.set(char, result);
    }
    out += result;
  }
  return out;
}

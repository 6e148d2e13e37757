// Full case folding (lib/domain/case-folding.ts): examples from Unicode's CaseFolding.txt, and over
// every code point the properties that make it a folding of the runtime's case mappings.
import { describe, expect, it } from 'vitest';
import { foldCase } from '../../../lib/domain/case-folding.ts';

describe('foldCase', () => {
  it('folds as CaseFolding.txt (statuses C and F) does', () => {
    // Prepare: [input, folded] pairs taken from CaseFolding.txt.
    const examples: [string, string][] = [
      ['ABC', 'abc'],
      ['ß', 'ss'], // 00DF; F; 0073 0073
      ['ẞ', 'ss'], // 1E9E; F; 0073 0073
      ['ſ', 's'], // 017F; C; 0073
      ['K', 'k'], // 212A KELVIN SIGN; C; 006B
      ['µ', 'μ'], // 00B5; C; 03BC
      ['ς', 'σ'], // 03C2; C; 03C3
      ['Σ', 'σ'], // 03A3; C; 03C3
      ['ﬃ', 'ffi'], // FB03; F; 0066 0066 0069
      ['İ', 'i\u0307'], // 0130; F; 0069 0307
      ['ᾼ', 'αι'], // 1FBC; F; 03B1 03B9
      ['ŉ', 'ʼn'], // 0149; F; 02BC 006E
      ['𐐀', '𐐨'], // 10400 DESERET; C; 10428
    ];
    // Act and assess.
    for (const [input, folded] of examples) expect(foldCase(input), input).toBe(folded);
  });

  it('leaves dotless ı alone (its folding to "i" is the Turkic T status, which full folding excludes)', () => {
    expect(foldCase('ı')).toBe('ı');
    expect(foldCase('I')).toBe('i');
  });

  it('puts "straße", "STRASSE" and "Straße" in one class, and final and medial sigma too', () => {
    expect(foldCase('straße')).toBe(foldCase('STRASSE'));
    expect(foldCase('Straße')).toBe(foldCase('strasse'));
    expect(foldCase('ΟΔΟΣ')).toBe(foldCase('οδος'));
    expect(foldCase('ΟΔΟΣ')).toBe(foldCase('οδοσ'));
    // toLowerCase alone keeps them apart: what the old keys did.
    expect('straße'.toLowerCase()).not.toBe('STRASSE'.toLowerCase());
  });

  it('over every code point: idempotent, and blind to the runtime upper- and lowercase mappings', () => {
    const broken: string[] = [];
    for (let code = 0; code <= 0x10ffff; code += 1) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const char = String.fromCodePoint(code);
      const folded = foldCase(char);
      if (foldCase(folded) !== folded) broken.push(`${code.toString(16)}: not idempotent`);
      if (foldCase(char.toLowerCase()) !== folded) broken.push(`${code.toString(16)}: lowercase folds differently`);
      // Uppercasing ı gives I, which folds to i: the one code point full folding keeps apart.
      if (code !== 0x131 && foldCase(char.toUpperCase()) !== folded) broken.push(`${code.toString(16)}: uppercase folds differently`);
    }
    expect(broken).toEqual([]);
  });
});

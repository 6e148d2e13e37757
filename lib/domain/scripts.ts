// Mixed-script detection for usernames: Unicode Technical Standard #39 (Unicode Security
// Mechanisms), section 5.2 "Restriction-Level Detection", level "Highly Restrictive".
//
// A name passes when all its characters share a script once Common and Inherited ones (digits,
// "_", ".", combining accents shared by many scripts) are set aside, using each character's
// Script_Extensions and the section 5.1 augmentation that lets Japanese mix Han, Hiragana and
// Katakana (Jpan), Chinese Han and Bopomofo (Hanb), Korean Han and Hangul (Kore). Highly
// Restrictive also allows Latin beside each of those three, as Japanese, Chinese and Korean users
// write product names and initials in Latin letters. Latin with Cyrillic or Greek (the look-alike
// "аdmin" with a Cyrillic "а") is refused.

/** ISO 15924 codes of every Unicode 17 script but Common (Zyyy), Inherited (Zinh) and Unknown (Zzzz). */
const SCRIPT_CODES = `Adlm Aghb Ahom Arab Armi Armn Avst Bali Bamu Bass Batk Beng Berf Bhks Bopo Brah Brai Bugi Buhd Cakm
  Cans Cari Cham Cher Chrs Copt Cpmn Cprt Cyrl Deva Diak Dogr Dsrt Dupl Egyp Elba Elym Ethi Gara Geor Glag Gong Gonm
  Goth Gran Grek Gujr Gukh Guru Hang Hani Hano Hatr Hebr Hira Hluw Hmng Hmnp Hung Ital Java Kali Kana Kawi Khar Khmr
  Khoj Kits Knda Krai Kthi Lana Laoo Latn Lepc Limb Lina Linb Lisu Lyci Lydi Mahj Maka Mand Mani Marc Medf Mend Merc
  Mero Mlym Modi Mong Mroo Mtei Mult Mymr Nagm Nand Narb Nbat Newa Nkoo Nshu Ogam Olck Onao Orkh Orya Osge Osma Ougr
  Palm Pauc Perm Phag Phli Phlp Phnx Plrd Prti Rjng Rohg Runr Samr Sarb Saur Sgnw Shaw Shrd Sidd Sidt Sind Sinh Sogd
  Sogo Sora Soyo Sund Sunu Sylo Syrc Tagb Takr Tale Talu Taml Tang Tavt Tayo Telu Tfng Tglg Thaa Thai Tibt Tirh Tnsa
  Todr Tols Toto Tutg Ugar Vaii Vith Wara Wcho Xpeo Xsux Yezi Yiii Zanb`.split(/\s+/);

let scriptTests: { code: string; test: RegExp }[] | undefined;

/** One regex per script the runtime knows; a runtime with older Unicode data skips the newer scripts. */
function scripts(): { code: string; test: RegExp }[] {
  scriptTests ??= SCRIPT_CODES.flatMap((code) => {
    try {
      return [{ code, test: new RegExp(`^\\p{Script_Extensions=${code}}$`, 'u') }];
    } catch {
      return [];
    }
  });
  return scriptTests;
}

const SHARED = /^[\p{Script_Extensions=Common}\p{Script_Extensions=Inherited}]$/u;

/** UTS #39 5.1: the augmented script sets of the CJK writing systems. */
const AUGMENT: Record<string, string[]> = { Hani: ['Hanb', 'Jpan', 'Kore'], Hira: ['Jpan'], Kana: ['Jpan'], Hang: ['Kore'], Bopo: ['Hanb'] };

/** UTS #39 5.2, Highly Restrictive: the script combinations allowed besides a single script. */
const ALLOWED_COMBINATIONS = [
  ['Latn', 'Hani', 'Hira', 'Kana'],
  ['Latn', 'Hani', 'Bopo'],
  ['Latn', 'Hani', 'Hang'],
];

const cache = new Map<string, readonly string[] | 'shared'>();

/** The character's Script_Extensions ('shared' for Common and Inherited); [] for a script we do not know. */
function scriptExtensions(char: string): readonly string[] | 'shared' {
  let found = cache.get(char);
  if (found === undefined) {
    found = SHARED.test(char) ? 'shared' : scripts().flatMap(({ code, test }) => (test.test(char) ? [code] : []));
    if (cache.size < 10_000) cache.set(char, found);
  }
  return found;
}

export type ScriptVerdict = 'single' | 'mixed' | 'unknown';

/**
 * 'single' when `text` is Highly Restrictive (UTS #39 5.2), 'mixed' when it mixes scripts beyond
 * that, 'unknown' when a character belongs to no script this runtime can name.
 */
export function scriptMixture(text: string): ScriptVerdict {
  const sets: (readonly string[])[] = [];
  for (const char of text) {
    const set = scriptExtensions(char);
    if (set === 'shared') continue;
    if (!set.length) return 'unknown';
    sets.push(set);
  }
  // Single script: the augmented sets have a script in common (the resolved script set is not empty).
  let resolved: Set<string> | undefined;
  for (const set of sets) {
    const augmented = new Set(set.flatMap((code) => [code, ...(AUGMENT[code] ?? [])]));
    resolved = resolved ? new Set([...resolved].filter((code) => augmented.has(code))) : augmented;
    if (!resolved.size) break;
  }
  if (!resolved || resolved.size) return 'single';
  // Covered by an allowed combination: every character has one of its scripts in it.
  const covered = ALLOWED_COMBINATIONS.some((combination) => sets.every((set) => set.some((code) => combination.includes(code))));
  return covered ? 'single' : 'mixed';
}

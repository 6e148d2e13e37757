// Canonical identifiers (lib/domain/identity.ts, SECURITY.md "Identifiers"): the attack strings of
// issue 15, the examples of RFC 8265 3.5, and how names and addresses are compared.
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import {
  canonicalIdentifier,
  emailProblem,
  legacyIdentifierKey,
  mailboxForSending,
  normaliseEmail,
  normaliseUsername,
  usernameProblem,
} from '../../../lib/domain/identity.ts';
import { check } from '../../../lib/domain/validation.ts';
import { emailField, usernameField } from '../../../lib/routes/fields.ts';

const emailOk = (text: string) => emailProblem(canonicalIdentifier(text)) === undefined;
const usernameOk = (text: string) => usernameProblem(canonicalIdentifier(text)) === undefined;

describe('email addresses', () => {
  const schema = z.strictObject({ email: emailField('email') });

  it('refuses the issue 15 attack string after NFKC, naming the field', () => {
    // Prepare: U+FE6B SMALL COMMERCIAL AT, which NFKC turns into "@".
    const attack = 'ceo\uFE6Bcorp.example<attacker@evil.example>';
    expect(canonicalIdentifier(attack)).toBe('ceo@corp.example<attacker@evil.example>');
    // Act and assess.
    expect(check(schema, { email: attack }).errors).toEqual([{ field: 'email', message: 'Enter a valid email address.' }]);
  });

  it('refuses angle brackets, commas, quotes, white space, markup, comments and display names', () => {
    for (const bad of [
      'a@b.example>',
      '<a@b.example>',
      'Jane <jane@example.com>',
      'a@example.com,b@example.com',
      '"a b"@example.com',
      'a b@example.com',
      'a\t@example.com',
      '<script>@example.com',
      'jane@example.com<img src=x>',
      'jane(comment)@example.com',
      'jane@[127.0.0.1]',
      'jane@127.0.0.1',
      'jane@localhost',
      'a..b@example.com',
      '.a@example.com',
      'jane@-example.com',
      'jane@exa_mple.com',
      'jäne@example.com', // SES takes ASCII local parts only
      '@example.com',
      'jane@',
      'jane',
    ]) {
      expect(emailOk(bad), bad).toBe(false);
    }
  });

  it('accepts ordinary and international addresses, and keeps the NFKC form as typed', () => {
    for (const good of ['jane@example.com', 'Jane.Doe+tag@Example.COM', "o'brien@example.ie", 'jane@bücher.example', 'x@xn--bcher-kva.example']) {
      expect(emailOk(good), good).toBe(true);
    }
    // Full-width letters are stored in their NFKC form; case is kept.
    expect(check(schema, { email: ' Ｊａｎｅ@Example.com ' }).data).toEqual({ email: 'Jane@Example.com' });
  });

  it('allows at most 254 characters (RFC 5321 4.5.3.1.3), 64 before the @', () => {
    const domain = `${'d'.repeat(60)}.${'e'.repeat(60)}.${'f'.repeat(59)}.example`; // 189 characters
    expect(emailOk(`${'a'.repeat(64)}@${domain}`)).toBe(true); // 254
    expect(emailOk(`${'a'.repeat(64)}@g${domain}`)).toBe(false); // 255
    expect(emailOk(`${'a'.repeat(65)}@${domain}`)).toBe(false);
    const long = `${'a'.repeat(64)}@${'d'.repeat(60)}.${'e'.repeat(60)}.${'f'.repeat(60)}.${'g'.repeat(9)}.ex`; // 258
    expect(check(schema, { email: long }).errors).toEqual([{ field: 'email', message: 'Use at most 254 characters.' }]);
  });

  it('is mailed with its domain in punycode, and refused for sending when it is not a valid mailbox', () => {
    expect(mailboxForSending('Jane@Bücher.example')).toBe('Jane@xn--bcher-kva.example');
    expect(mailboxForSending('jane@example.com')).toBe('jane@example.com');
    expect(mailboxForSending('ceo@corp.example<attacker@evil.example>')).toBeUndefined();
  });

  it('compares case-insensitively, and an international domain equal to its punycode', () => {
    expect(normaliseEmail('Jane@Example.COM')).toBe(normaliseEmail('jane@example.com'));
    expect(normaliseEmail('jane@BÜCHER.example')).toBe(normaliseEmail('jane@xn--bcher-kva.example'));
    expect(normaliseEmail('a@example.com')).not.toBe(normaliseEmail('b@example.com'));
  });
});

describe('usernames', () => {
  const schema = z.strictObject({ username: usernameField('username') });

  it('validates after NFKC: full-width letters become ASCII and pass, what they hide does not', () => {
    expect(check(schema, { username: 'ｊａｎｅ' }).data).toEqual({ username: 'jane' });
    // U+FF08/U+FF09 FULLWIDTH PARENTHESES are "(" and ")" once normalised.
    expect(check(schema, { username: 'jane\uFF08x\uFF09' }).errors).toEqual([
      { field: 'username', message: 'Use only letters, digits and @ . + - _ characters.' },
    ]);
  });

  it('refuses spaces, ( ) ,, control and format characters, symbols, and a combining mark standing alone', () => {
    for (const bad of ['jane doe', 'jane\u3000doe', 'a(b)c', 'a,b,c', 'jane\u0000', 'ja\u200Dne', 'ja\u202Ene', 'jane♚', '\u0301jane', 'jane_\u0301x', 'ab']) {
      expect(usernameOk(bad), JSON.stringify(bad)).toBe(false);
    }
  });

  it('refuses Latin mixed with Cyrillic or Greek look-alikes (UTS #39 Highly Restrictive)', () => {
    expect(usernameOk('admin')).toBe(true);
    expect(usernameOk('\u0430dmin')).toBe(false); // Cyrillic а
    expect(usernameOk('p\u0430ypal')).toBe(false);
    expect(usernameOk('\u03BFmega')).toBe(false); // Greek ο
    expect(check(schema, { username: '\u0430dmin' }).errors).toEqual([{ field: 'username', message: expect.stringContaining('one script') }]);
  });

  it('accepts one script with Common characters, and the Japanese, Chinese and Korean mixes', () => {
    for (const good of [
      'jane.doe_42',
      'Ελληνας',
      'иван-2',
      'हिन्दी',
      'éte',
      '山田たろう',
      'ヤマダ太郎',
      'Yamada山田',
      '张三ㄓ',
      '김철수金',
      'jane@example.com',
      'a+b',
    ]) {
      expect(usernameOk(good), good).toBe(true);
    }
  });

  // RFC 8265 3.5, Table 3: how each example fares here.
  it('treats the RFC 8265 examples as the UsernameCaseMapped profile does, or stricter', () => {
    expect(usernameOk('juliet@example.com')).toBe(true); // 1
    expect(usernameOk('fussball')).toBe(true); // 2
    expect(usernameOk('fußball')).toBe(true); // 3
    expect(usernameOk('πππ')).toBe(true); // 4 (with our 3-character minimum)
    expect(usernameOk('foo bar')).toBe(false); // 8: space
    expect(usernameOk('')).toBe(false); // 9: empty
    expect(usernameOk('henry♚')).toBe(false); // 11: symbol
    // 10: RFC 8265 refuses U+2163 ROMAN NUMERAL FOUR; NFKC maps it to "IV" first, which passes.
    expect(canonicalIdentifier('henry\u2163')).toBe('henryIV');
    // 2/3 and 5/6/7: RFC 8265 keeps "fußball" apart from "fussball" and ς apart from σ; full case folding does not.
    expect(normaliseUsername('fußball')).toBe(normaliseUsername('fussball'));
    expect(normaliseUsername('ΣΣΣ')).toBe(normaliseUsername('ςςς'));
  });

  it('compares by full case folding: "straße" and "STRASSE" are one name; width variants too', () => {
    expect(normaliseUsername('straße')).toBe(normaliseUsername('STRASSE'));
    expect(normaliseUsername('Straße')).toBe('strasse');
    expect(normaliseUsername('ＪＡＮＥ')).toBe(normaliseUsername('jane'));
    expect(normaliseUsername('Νίκος')).toBe(normaliseUsername('ΝΊΚΟΣ'));
    expect(normaliseUsername('jane')).not.toBe(normaliseUsername('jané'));
  });

  it('keeps the old key for names it did not change, so stored accounts need no new key', () => {
    for (const name of ['jane', 'Jane_Doe', 'ｊａｎｅ', 'иван', '山田']) expect(normaliseUsername(name)).toBe(legacyIdentifierKey(name));
    expect(legacyIdentifierKey('Straße')).toBe('straße');
    expect(normaliseUsername(legacyIdentifierKey('Straße'))).toBe(normaliseUsername('Straße'));
  });
});

// Foreign password hashes made by the real libraries of other ecosystems: each is recognised by
// name, verifies its own password and no other, keeps doing so in its portable (export) form, and
// nothing (arbitrary strings, mutated hashes, hashes beyond the cost limits) throws or lets a
// wrong password in.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { UNUSABLE_PASSWORD_HASH } from '../../../lib/domain/user-transfer.ts';
import { firebaseScryptHash, HASH_FORMATS, hashFormat, portableHash } from '../../../lib/passwords/foreign-hashes.ts';
import { hashPassword, needsRehash, verifyPassword } from '../../../lib/passwords/hashing.ts';
import { EXPECTED_FORMAT, type ForeignHash, foreignHashes } from '../../support/foreign-hashes.ts';

const params = { memoryCost: 8_192, timeCost: 1, parallelism: 1 };
let made: ForeignHash[];

beforeAll(async () => {
  made = await foreignHashes();
}, 60_000);

describe('hashes made by Django, passlib, argon2-cffi, Firebase scrypt and bcrypt', () => {
  it('come from every source, with Unicode and over-72-byte passwords', () => {
    expect(new Set(made.map((one) => one.source))).toEqual(new Set(Object.keys(EXPECTED_FORMAT)));
    expect(made.some((one) => Buffer.byteLength(one.password) > 72)).toBe(true);
    expect(made.some((one) => Buffer.byteLength(one.password) > one.password.length)).toBe(true);
  });

  it('are named by hashFormat', () => {
    for (const { source, hash } of made) expect([source, hashFormat(hash)]).toEqual([source, EXPECTED_FORMAT[source]]);
  });

  it('verify their own password and refuse others (a near miss, another normalisation, the empty string)', async () => {
    for (const { source, password, hash } of made) {
      expect([source, await verifyPassword(hash, password)]).toEqual([source, true]);
      for (const wrong of [`${password}!`, password.slice(0, -1), password.normalize('NFD'), password.toUpperCase(), '']) {
        if (wrong !== password) expect([source, wrong, await verifyPassword(hash, wrong)]).toEqual([source, wrong, false]);
      }
    }
  });

  it("keep plain bcrypt's 72-byte limit, which bcrypt_sha256 does not have", async () => {
    const cut = (tail: string) => `${'ü'.repeat(36)}${tail}`; // 72 bytes, then the tail
    const bcrypt = made.find((one) => one.source === '@node-rs/bcrypt')!;
    const { hash } = await import('@node-rs/bcrypt');
    const long = await hash(cut('one'), 4);
    expect(await verifyPassword(long, cut('two'))).toBe(true); // what every bcrypt does, here too
    expect(await verifyPassword(bcrypt.hash, cut(''))).toBe(false);
    for (const source of ['django bcrypt_sha256', 'passlib bcrypt_sha256 v1', 'passlib bcrypt_sha256 v2']) {
      const sha256 = made.find((one) => one.source === source && Buffer.byteLength(one.password) > 72)!;
      expect([source, await verifyPassword(sha256.hash, `${sha256.password.slice(0, -1)}x`)]).toEqual([source, false]);
    }
  });

  it('are rehashed with our argon2id at the next login (needsRehash)', () => {
    for (const { hash } of made) expect(needsRehash(hash, params)).toBe(true);
  });

  it('keep verifying in their portable form, which is PHC or modular crypt where one exists', async () => {
    const formats = new Set<string>();
    for (const { source, password, hash } of made) {
      const portable = portableHash(hash)!;
      formats.add(hashFormat(portable)!);
      expect([source, portable.startsWith('$') || portable.startsWith('bcrypt_sha256$')]).toEqual([source, true]);
      expect([source, await verifyPassword(portable, password)]).toEqual([source, true]);
      expect([source, await verifyPassword(portable, `${password}x`)]).toEqual([source, false]);
      expect(portableHash(portable)).toBe(portable);
    }
    // Django's and passlib's PBKDF2 become PHC; Django's argon2 and bcrypt lose their prefix; the bcrypt_sha256 pre-hashes have no such form.
    const ownNames = [...formats].filter((format) => format.startsWith('django-') || format.startsWith('passlib-'));
    expect(ownNames.sort()).toEqual(['django-bcrypt-sha256', 'passlib-bcrypt-sha256']);
    expect(formats).toContain('pbkdf2-sha1');
  });

  it('cover every format there is, together with our own argon2id', async () => {
    const own = await hashPassword('correct horse battery staple', params);
    const named = new Set([hashFormat(own), ...made.map((one) => hashFormat(one.hash)), ...made.map((one) => hashFormat(portableHash(one.hash)!))]);
    expect([...named].sort()).toEqual([...HASH_FORMATS].sort());
  });
});

describe('Firebase scrypt', () => {
  // The test vector of github.com/firebase/scrypt's README.
  const project = {
    signerKey: 'jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==',
    saltSeparator: 'Bw==',
    rounds: 8,
    memCost: 14,
  };
  const vector = firebaseScryptHash(project, 'lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==', '42xEC+ixf3L2lw==');

  it("verifies the README's test vector, in the documented shape", async () => {
    expect(vector).toBe(
      '$firebase-scrypt$ln=14,r=8$Bw$jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA$42xEC+ixf3L2lw$lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ',
    );
    expect(hashFormat(vector)).toBe('firebase-scrypt');
    expect(await verifyPassword(vector, 'user1password')).toBe(true);
    expect(await verifyPassword(vector, 'user2password')).toBe(false);
    expect(
      await verifyPassword(
        firebaseScryptHash(
          { ...project, saltSeparator: 'CA==' },
          'lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==',
          '42xEC+ixf3L2lw==',
        ),
        'user1password',
      ),
    ).toBe(false);
    expect(portableHash(vector)).toBe(vector);
  });

  it('does not recognise a string built from bad parameters', () => {
    expect(hashFormat(firebaseScryptHash({ ...project, signerKey: 'not base64!' }, 'lSrf', '42xE'))).toBeUndefined();
    expect(
      hashFormat(
        firebaseScryptHash(
          { ...project, memCost: 30 },
          'lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==',
          '42xEC+ixf3L2lw==',
        ),
      ),
    ).toBeUndefined();
    // The hash must be as long as the signer key it encrypts.
    expect(
      hashFormat(firebaseScryptHash(project, 'lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5l', '42xEC+ixf3L2lw==')),
    ).toBeUndefined();
  });
});

describe('parameter limits (an imported hash must not be a denial of service at login)', () => {
  const bcrypt = (cost: string) => `$2b$${cost}$J.bnbDxKa4dKoibQCcf.u.YxSIWQbTSiCuBb.T5ihfx3Vtd7LS/3q`;
  const argon2 = (m: number, t: number, p: number) => `$argon2id$v=19$m=${m},t=${t},p=${p}$vH5ww5iQEEKh6rGUbB1b1w$zF/b5ryuQ3X1nq9Iu0Ml0w`;
  const pbkdf2 = (i: number) => `$pbkdf2-sha256$i=${i},l=32$+R2bhWMrCsMHqxZG3XMISg$JYirHbCBwqJYirHbCBwqJYirHbCBwqJYirHbCBwqJYk`;
  const scrypt = (ln: number, r: number, p: number) => `$scrypt$ln=${ln},r=${r},p=${p}$HUMIYew95xwjZEzpHaPUeg$+H+VBgPL86CcTOEh+H+VBgPL86CcTOEh+H+VBgPL86A`;
  const passlibSha256 = (r: number) => `$bcrypt-sha256$v=2,t=2b,r=${r}$xMlQBamkmjG8qG4L.i30te$UUmhod6xE0ZOSg6Yny1jJIZHAD0Jh0a`;

  it.each([
    ['bcrypt cost 15', bcrypt('15'), 'cost 16', bcrypt('16')],
    ['bcrypt cost 04', bcrypt('04'), 'cost 03', bcrypt('03')],
    ["passlib's bcrypt_sha256 r=15", passlibSha256(15), 'r=16', passlibSha256(16)],
    ['argon2 1 GiB', argon2(1_048_576, 1, 1), 'over 1 GiB', argon2(1_048_577, 1, 1)],
    ['argon2 t=20', argon2(65_536, 20, 1), 't=21', argon2(65_536, 21, 1)],
    ['argon2 p=16', argon2(65_536, 2, 16), 'p=17', argon2(65_536, 2, 17)],
    ['pbkdf2 5 M iterations', pbkdf2(5_000_000), '5 M + 1', pbkdf2(5_000_001)],
    ['scrypt N·r·p = 2^22', scrypt(19, 8, 1), '2^23', scrypt(20, 8, 1)],
    ['scrypt p=4 at 2^22', scrypt(17, 8, 4), 'p=5', scrypt(17, 8, 5)],
  ])('%s is recognised, %s is not', async (_, within, __, beyond) => {
    expect(hashFormat(within)).toBeDefined();
    expect(hashFormat(beyond)).toBeUndefined();
    expect(await verifyPassword(beyond, 'anything')).toBe(false);
  });

  it('does not look at very long strings', () => {
    expect(hashFormat(`$2b$04$${'a'.repeat(2_000)}`)).toBeUndefined();
  });
});

describe('what is not a usable hash', () => {
  it('the unusable marker and Django-style unusable strings: no format, no export form, never verified', async () => {
    for (const unusable of [UNUSABLE_PASSWORD_HASH, '!Xk2d9fj3kd02kdk3kdk3kdk3kdk3kdk3kdk3kdk3', '']) {
      expect(hashFormat(unusable)).toBeUndefined();
      expect(await verifyPassword(unusable, '')).toBe(false);
      expect(await verifyPassword(unusable, 'correct horse battery staple')).toBe(false);
    }
    expect(portableHash(UNUSABLE_PASSWORD_HASH)).toBeNull();
  });

  it('arbitrary strings never throw and never verify', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'binary' }),
          fc
            .constantFrom('$2b$', '$argon2id$', '$argon2d$', 'pbkdf2_sha256$', '$scrypt$', '$firebase-scrypt$', '$bcrypt-sha256$')
            .chain((prefix) => fc.string().map((rest) => prefix + rest)),
        ),
        fc.string(),
        async (hash, password) => {
          expect(() => hashFormat(hash)).not.toThrow();
          expect(() => portableHash(hash)).not.toThrow();
          expect(await verifyPassword(hash, password)).toBe(false);
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('mutated real hashes never throw and never verify a wrong password', async () => {
    // Digits are never written in, so no mutation can raise a cost and slow the test down.
    const replacement = fc.constantFrom(...'aZ+/.$=,_-é😀'.split(''), '', '$$');
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: made.length - 1 }), fc.nat(), replacement, async (which, at, by) => {
        const { hash, password } = made[which]!;
        const position = at % hash.length;
        const mutated = hash.slice(0, position) + by + hash.slice(position + 1);
        expect(() => portableHash(mutated)).not.toThrow();
        expect(await verifyPassword(mutated, `${password}?`)).toBe(false);
        await expect(verifyPassword(mutated, password)).resolves.toBeTypeOf('boolean');
      }),
      { numRuns: 300 },
    );
  });
});

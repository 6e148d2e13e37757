import { describe, expect, it } from 'vitest';
import { dummyPasswordHash, hashPassword, needsRehash, verifyPassword } from '../../lib/passwords/hashing.ts';
import { isCommonPassword, passwordProblems } from '../../lib/passwords/policy.ts';

const params = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

describe('password policy (NIST SP 800-63B)', () => {
  it('accepts a long uncommon passphrase without composition rules', async () => {
    expect(await passwordProblems('correct horse battery staple')).toEqual([]);
  });

  it('counts characters, not UTF-16 units', async () => {
    expect(await passwordProblems('😀😀😀😀😀😀😀')).toHaveLength(1); // 7 characters, 14 units
    expect(await passwordProblems('😀😀😀😀😀😀😀😀')).toEqual([]);
  });

  it('refuses too short, too long, common, and account-name passwords, naming the field', async () => {
    expect((await passwordProblems('short'))[0]).toMatchObject({ field: 'password', message: expect.stringMatching(/at least 8/) });
    expect((await passwordProblems('a'.repeat(129)))[0]?.message).toMatch(/at most 128/);
    expect((await passwordProblems('password123'))[0]?.message).toMatch(/too common/);
    expect((await passwordProblems('PassWord123'))[0]?.message).toMatch(/too common/);
    expect((await passwordProblems('janedoe2000', { username: 'JaneDoe2000' }))[0]?.message).toMatch(/username/);
  });

  it('ships a common-password list of at least 10,000 usable entries', async () => {
    const { default: list } = await import('@zxcvbn-ts/language-common/dist/passwords.json.mjs');
    expect(list.filter((entry) => entry.length >= 8).length).toBeGreaterThanOrEqual(10_000);
    expect(await isCommonPassword('iloveyou1')).toBe(true);
  });
});

describe('argon2id hashing', () => {
  it('hashes with the explicit parameters and verifies', async () => {
    const hash = await hashPassword('correct horse battery staple', params);
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse battery stapl')).toBe(false);
  });

  it('never throws on a corrupt stored hash', async () => {
    expect(await verifyPassword('not-a-hash', 'whatever')).toBe(false);
  });

  it('flags hashes made with other parameters for upgrade', async () => {
    const old = await hashPassword('correct horse battery staple', { memoryCost: 8192, timeCost: 1, parallelism: 1 });
    expect(needsRehash(old, params)).toBe(true);
    expect(needsRehash(await hashPassword('x'.repeat(10), params), params)).toBe(false);
    expect(needsRehash('$2b$10$bcrypthashfromanothersystem', params)).toBe(true);
  });

  it('has a dummy hash with the same parameters, for unknown users', async () => {
    expect(needsRehash(await dummyPasswordHash(params), params)).toBe(false);
  });
});

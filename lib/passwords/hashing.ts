// Password hashing with argon2id and explicit parameters (OWASP Password Storage Cheat Sheet);
// hashes made with older parameters, or imported in another format, are upgraded at the next
// successful login. Only functions that hash or verify passwords import this file, so only they
// load argon2's native module.
import { hash } from '@node-rs/argon2';
import type { Argon2Params } from '../config/all.ts';
import { recogniseHash } from './foreign-hashes.ts';

/** @node-rs/argon2's Algorithm.Argon2id (a const enum, which isolated modules cannot import). */
const ARGON2ID = 2;

export function hashPassword(password: string, params: Argon2Params): Promise<string> {
  return hash(password, { algorithm: ARGON2ID, ...params });
}

/**
 * Verifies against any format ./foreign-hashes.ts recognises (our argon2id, or what an import
 * brought). An unusable, unknown or corrupt hash is false at once: never a 500, never a way in.
 */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  const recognised = recogniseHash(passwordHash);
  if (!recognised) return false;
  try {
    return await recognised.verify(password);
  } catch {
    return false;
  }
}

/** True when the hash was made with other parameters than the current policy (or another algorithm). */
export function needsRehash(passwordHash: string, params: Argon2Params): boolean {
  const match = passwordHash.match(/^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/);
  if (!match) return true;
  return Number(match[1]) !== params.memoryCost || Number(match[2]) !== params.timeCost || Number(match[3]) !== params.parallelism;
}

let dummyHash: Promise<string> | undefined;

/**
 * A hash to verify against when the account does not exist, so that an unknown user costs the
 * same argon2 work as a wrong password and timing does not reveal which accounts exist.
 */
export function dummyPasswordHash(params: Argon2Params): Promise<string> {
  dummyHash ??= hashPassword(`dummy-${Math.random()}`, params);
  return dummyHash;
}

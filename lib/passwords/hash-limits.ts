// The most an imported (foreign) password hash may cost to verify: a hash is checked at every login
// attempt, so a corrupt or hostile import file must not turn one account into a CPU or memory
// bomb. A hash beyond these bounds is not recognised (the import rejects its row) and never
// verified. Bounds for argon2 are the ones ARGON2_* accepts, so our own hashes always pass.

/** Longer strings are not looked at (no regex or decoder runs on megabytes of input). */
export const MAX_HASH_LENGTH = 1_024;

/** bcrypt cost (log2 rounds): 4…15; 15 is about 2 s in bcryptjs on one core (10, the usual default, 65 ms). */
export const BCRYPT_MIN_COST = 4;
export const BCRYPT_MAX_COST = 15;

/** PBKDF2 iterations: 1…5,000,000 (5 M of HMAC-SHA-512 ≈ 2.5 s; Django 5.2 uses 1 M of SHA-256 ≈ 0.2 s). */
export const PBKDF2_MAX_ITERATIONS = 5_000_000;
/** PBKDF2 derived key: 16…128 bytes (a shorter one is too weak to trust, a longer one buys nothing). */
export const PBKDF2_MIN_KEY_BYTES = 16;
export const PBKDF2_MAX_KEY_BYTES = 128;

/**
 * scrypt: N·r·p ≤ 2^22, which bounds both the memory (128·N·r bytes ≤ 512 MiB) and the time
 * (≈ 1.6 s); passlib's default (ln=16, r=8, p=1) is 2^19, Firebase's usual (ln=14, r=8) 2^17.
 */
export const SCRYPT_MAX_WORK = 2 ** 22;

/** argon2: the ranges of ARGON2_MEMORY_KIB (≤ 1 GiB), ARGON2_ITERATIONS (≤ 20) and ARGON2_PARALLELISM (≤ 16). */
export const ARGON2_MAX_MEMORY_KIB = 1_048_576;
export const ARGON2_MAX_TIME_COST = 20;
export const ARGON2_MAX_PARALLELISM = 16;

/** Salts of 1…64 bytes (and Django's salt strings of 1…128 characters). */
export const MAX_SALT_BYTES = 64;

// What recognising a stored password hash yields: its format's name, how to verify a password
// against it, and its portable (export) form. Each family of formats has its own file (foreign-*.ts).

/** Every format a stored hash may have; `argon2id` is also what this service makes. */
export const HASH_FORMATS = [
  'argon2id',
  'argon2i',
  'argon2d',
  'bcrypt',
  'passlib-bcrypt-sha256',
  'pbkdf2-sha1',
  'pbkdf2-sha256',
  'pbkdf2-sha512',
  'passlib-pbkdf2-sha1',
  'passlib-pbkdf2-sha256',
  'passlib-pbkdf2-sha512',
  'scrypt',
  'firebase-scrypt',
  'django-pbkdf2-sha1',
  'django-pbkdf2-sha256',
  'django-argon2id',
  'django-argon2i',
  'django-bcrypt',
  'django-bcrypt-sha256',
] as const;
export type HashFormat = (typeof HASH_FORMATS)[number];

export interface RecognisedHash {
  format: HashFormat;
  /** Resolves false for a wrong password; never rejects (a corrupt hash is a wrong password, not a 500). */
  verify(password: string): Promise<boolean>;
  /** The PHC / modular-crypt form an export writes (the stored string where no such form exists). */
  portable: string;
}

/** Recognises one family's formats, within the limits of ./hash-limits.ts; undefined: not one of them. */
export type HashRecogniser = (hash: string) => RecognisedHash | undefined;

// The JSONL row format of `admin import` and `admin export` (docs/migration.md): one user per line.
// Export writes exactly what import reads, so an export of this service imports into another
// deployment (or another system that reads PHC / modular-crypt hashes) without any password reset.
import type { ProfileField } from './profile.ts';

export interface TransferRow extends Partial<Record<ProfileField, string>> {
  username: string;
  email: string;
  email_verified?: boolean;
  /**
   * The password hash in PHC or modular-crypt format ($argon2id$…, $2b$…, $pbkdf2-sha256$…,
   * $scrypt$…), or Django's (pbkdf2_sha256$…, argon2$…, bcrypt_sha256$…), or Firebase's scrypt
   * (lib/passwords/foreign-hashes.ts lists them); null: no usable password (lazy migration or a reset sets one).
   */
  password_hash: string | null;
  /** Firebase exports only: the per-user salt (base64) that goes with password_hash. */
  password_salt?: string;
  permissions?: string[];
  /** ISO 8601; absent: the time of the import. */
  created_at?: string;
  /** The id the user had in the system they come from, kept as externalId (and as the integer id when it is one). */
  id?: string | number;
  disabled?: boolean;
}

/** Our own hash when an account has no usable password: nothing verifies against it. */
export const UNUSABLE_PASSWORD_HASH = '!';

/** Whether the stored hash can verify a password at all (UNUSABLE_PASSWORD_HASH cannot). */
export const hasUsablePassword = (user: { passwordHash: string }): boolean => user.passwordHash !== UNUSABLE_PASSWORD_HASH;

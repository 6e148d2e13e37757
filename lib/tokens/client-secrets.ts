// OAuth client identifiers and secrets: the id is public, the secret is 256 random bits shown once
// and stored only as its SHA-256 (hex), compared in constant time (OAuth 2.1 §2.4.1, RFC 9700 §2.5).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** `c_` + 22 base64url characters (128 random bits): unique without coordination, and recognisable in logs. */
export function newClientId(): string {
  return `c_${randomBytes(16).toString('base64url')}`;
}

/** 32 random bytes, base64url (43 characters). */
export function newClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The storage form of a client secret (OAuthClient.secretHash): SHA-256, hex. A fast hash suits a 256-bit random secret. */
export function clientSecretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Whether `secret` is the one stored as `secretHash`, in time independent of where they differ. */
export function clientSecretMatches(secret: string, secretHash: string): boolean {
  const given = Buffer.from(clientSecretHash(secret), 'hex');
  const stored = Buffer.from(secretHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

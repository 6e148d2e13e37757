// Personal API tokens as strings: `authsvc_` + base62(owner id, token id, 256-bit secret) + a
// CRC-32 checksum. The prefix lets secret scanners (GitHub, GitGuardian, trufflehog) find leaked
// tokens; the checksum lets us refuse a mistyped or made-up token without a database read; the
// embedded ids let one consistent read fetch the token's record and its owner together. Only the
// SHA-256 of the whole token is stored.
import { randomBytes, randomUUID } from 'node:crypto';
import { crc32 } from 'node:zlib';

export const API_TOKEN_PREFIX = 'authsvc_';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const UUID_CHARS = 22; // 16 bytes in base62
const SECRET_CHARS = 43; // 32 bytes in base62
const CHECKSUM_CHARS = 6; // 32 bits in base62
const BODY_CHARS = 2 * UUID_CHARS + SECRET_CHARS;
export const API_TOKEN_LENGTH = API_TOKEN_PREFIX.length + BODY_CHARS + CHECKSUM_CHARS;
const SHAPE = new RegExp(`^${API_TOKEN_PREFIX}[0-9A-Za-z]{${BODY_CHARS + CHECKSUM_CHARS}}$`);

function toBase62(bytes: Uint8Array, width: number): string {
  let value = BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);
  let out = '';
  while (value > 0n) {
    out = ALPHABET[Number(value % 62n)] + out;
    value /= 62n;
  }
  return out.padStart(width, '0');
}

function fromBase62(text: string, byteLength: number): Buffer | undefined {
  let value = 0n;
  for (const char of text) value = value * 62n + BigInt(ALPHABET.indexOf(char));
  const hex = value.toString(16).padStart(byteLength * 2, '0');
  return hex.length === byteLength * 2 ? Buffer.from(hex, 'hex') : undefined;
}

const uuidBytes = (uuid: string) => Buffer.from(uuid.replace(/-/g, ''), 'hex');
const bytesToUuid = (bytes: Buffer) => bytes.toString('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
const checksum = (text: string) => toBase62(Buffer.from(crc32(text).toString(16).padStart(8, '0'), 'hex'), CHECKSUM_CHARS);

export interface ApiTokenParts {
  userId: string;
  tokenId: string;
}

/** A new token for `userId`, with a fresh token id. */
export function newApiToken(userId: string): ApiTokenParts & { token: string } {
  const tokenId = randomUUID();
  const body = API_TOKEN_PREFIX + toBase62(uuidBytes(userId), UUID_CHARS) + toBase62(uuidBytes(tokenId), UUID_CHARS) + toBase62(randomBytes(32), SECRET_CHARS);
  return { token: body + checksum(body), userId, tokenId };
}

export function looksLikeApiToken(token: string): boolean {
  return token.startsWith(API_TOKEN_PREFIX);
}

/** The ids inside a well-formed token with a valid checksum; undefined for anything else. */
export function parseApiToken(token: string): ApiTokenParts | undefined {
  if (token.length !== API_TOKEN_LENGTH || !SHAPE.test(token)) return undefined;
  const body = token.slice(0, -CHECKSUM_CHARS);
  if (checksum(body) !== token.slice(-CHECKSUM_CHARS)) return undefined;
  const start = API_TOKEN_PREFIX.length;
  const user = fromBase62(token.slice(start, start + UUID_CHARS), 16);
  const id = fromBase62(token.slice(start + UUID_CHARS, start + 2 * UUID_CHARS), 16);
  if (!user || !id) return undefined;
  return { userId: bytesToUuid(user), tokenId: bytesToUuid(id) };
}

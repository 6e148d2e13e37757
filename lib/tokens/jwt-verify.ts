// The hot-path JWT check behind the authorizer: RS256 only, keys pre-imported as node:crypto
// KeyObjects, synchronous, no allocation beyond what parsing needs. It applies the same RFC 8725
// rules, in the same order, as jose's jwtVerify with our options, with one deliberate difference:
// every part must be canonical base64url (RFC 7515 §2: no padding, no whitespace, zero unused
// trailing bits), so a token has exactly one encoding; jose forgives all three.
// test/unit/tokens/jwt-verify.test.ts proves with fast-check that on canonical tokens both accept
// and reject exactly the same ones, and that every other encoding is refused. jose stays the
// library for signing, key generation and JWK import/export.
import { type KeyObject, verify as rsaVerify } from 'node:crypto';

export interface JwtVerifyOptions {
  /** Expected `typ` header, compared as jose does (case-insensitive, "application/" implied). */
  typ: string;
  issuer: string;
  audience: string;
  nowSeconds: number;
  toleranceSeconds: number;
  /** Claims that must be present; iss and aud are always required. */
  requiredClaims: readonly string[];
}

export type JwtVerifyResult = { ok: true; header: Record<string, unknown>; payload: Record<string, unknown> } | { ok: false; reason: 'invalid' | 'expired' };

const INVALID: JwtVerifyResult = { ok: false, reason: 'invalid' };
const EXPIRED: JwtVerifyResult = { ok: false, reason: 'expired' };
const utf8 = new TextDecoder('utf-8', { fatal: true });

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** Bits of the last character that carry no data, by length % 4 (2: 4 bits, 3: 2 bits). */
const UNUSED_BITS_MASK = [0, 0, 0b1111, 0b11];

/**
 * Whether `part` is the one base64url encoding of its bytes (RFC 7515 §2, RFC 4648 §3.5): only the
 * URL-safe alphabet, no '=' padding, no whitespace, a length that is not 1 mod 4, and a last
 * character whose unused low bits are zero. Any other spelling decodes to the same bytes, so
 * accepting it would give one token many encodings (and many cache and log keys).
 */
export function isCanonicalBase64url(part: string): boolean {
  const rest = part.length % 4;
  if (rest === 1 || !BASE64URL.test(part)) return false;
  return rest === 0 || (ALPHABET.indexOf(part[part.length - 1]!) & UNUSED_BITS_MASK[rest]!) === 0;
}

/** Strict base64url decoding: canonical input only (see isCanonicalBase64url); throws otherwise. */
export function decodeBase64url(input: string): Buffer {
  if (!isCanonicalBase64url(input)) throw new TypeError('Invalid base64url');
  return Buffer.from(input, 'base64url');
}

/** A JSON object with a plain prototype, as jose's isObject requires. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Object.prototype.toString.call(value) !== '[object Object]') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === null || Object.getPrototypeOf(prototype) === null;
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(utf8.decode(decodeBase64url(part)));
    return isPlainObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function decodeBytes(part: string): Uint8Array | undefined {
  try {
    return decodeBase64url(part);
  } catch {
    return undefined;
  }
}

const normaliseTyp = (value: string) => (value.includes('/') ? value.toLowerCase() : `application/${value.toLowerCase()}`);

/** The RFC 7515 "crit" rules for the one extension jose recognises ("b64"); false means refuse. */
function critAllowsCompactJwt(header: Record<string, unknown>): boolean {
  if (header.crit === undefined) return true;
  const crit = header.crit;
  if (!Array.isArray(crit) || crit.length === 0 || crit.some((c) => typeof c !== 'string' || c.length === 0)) return false;
  // Duplicates are tolerated, as jose's verify tolerates them: the only name allowed is "b64".
  for (const parameter of crit) {
    if (parameter !== 'b64' || !Object.hasOwn(header, parameter) || header[parameter] === undefined) return false;
  }
  // With b64 critical it must be a boolean, and a JWT must not use an unencoded payload.
  return header.b64 === true;
}

/**
 * Every token signed with one key carries the same encoded header, so decoded headers are kept
 * (a handful, frozen) and the hot path skips the base64 + JSON work for them.
 */
const headers = new Map<string, Readonly<Record<string, unknown>> | undefined>();
const MAX_CACHED_HEADERS = 32;

function decodeHeader(encoded: string): Readonly<Record<string, unknown>> | undefined {
  if (headers.has(encoded)) return headers.get(encoded);
  const header = decodeJson(encoded);
  if (headers.size >= MAX_CACHED_HEADERS) headers.clear();
  if (encoded.length <= 512) headers.set(encoded, header && Object.freeze(header));
  return header;
}

/** Reads the protected header (for choosing the key) without trusting it. */
export function peekHeader(token: string): Record<string, unknown> | undefined {
  const dot = token.indexOf('.');
  return dot > 0 ? decodeJson(token.slice(0, dot)) : undefined;
}

/** Reads the claims without verifying anything: only for routing a token to the right check. */
export function peekClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  return parts.length === 3 ? decodeJson(parts[1]!) : undefined;
}

/**
 * Verifies signature and claims of a compact JWS JWT against one RSA public key, given as is or
 * chosen from the (not yet trusted) protected header, so the header is decoded only once.
 */
export function verifyJwt(
  token: string,
  key: KeyObject | undefined | ((header: Record<string, unknown>) => KeyObject | undefined),
  options: JwtVerifyOptions,
): JwtVerifyResult {
  if (typeof token !== 'string') return INVALID;
  const parts = token.split('.');
  if (parts.length !== 3) return INVALID;
  const [encodedHeader, encodedPayload, encodedSignature] = parts as [string, string, string];

  const header = decodeHeader(encodedHeader);
  if (!header || !critAllowsCompactJwt(header)) return INVALID;
  if (header.alg !== 'RS256') return INVALID;
  const publicKey = typeof key === 'function' ? key(header) : key;
  if (!publicKey) return INVALID;
  // One encoding per token: a payload spelled any other way is refused before the signature is
  // checked (the header was checked by decoding it, the signature is checked by decodeBytes).
  if (!isCanonicalBase64url(encodedPayload)) return INVALID;
  const signature = decodeBytes(encodedSignature);
  if (!signature) return INVALID;
  // The signing input is the token up to its last dot (both parts are ASCII, so latin1 = utf8).
  const signingInput = Buffer.from(token.slice(0, encodedHeader.length + 1 + encodedPayload.length), 'latin1');
  // An 'rsa' KeyObject verifies with PKCS#1 v1.5 padding, which RS256 is; passing the key itself
  // rather than { key, padding } spares Node re-reading the options on every call.
  if (publicKey.asymmetricKeyType !== 'rsa' || !rsaVerify('sha256', signingInput, publicKey, signature)) return INVALID;

  const payload = decodeJson(encodedPayload);
  if (!payload) return INVALID;
  // The exact string first: what we sign, and the same answer without normalising two strings.
  if (header.typ !== options.typ && (typeof header.typ !== 'string' || normaliseTyp(header.typ) !== normaliseTyp(options.typ))) return INVALID;
  if (!Object.hasOwn(payload, 'iss') || !Object.hasOwn(payload, 'aud')) return INVALID;
  for (const claim of options.requiredClaims) {
    if (!Object.hasOwn(payload, claim)) return INVALID;
  }
  if (payload.iss !== options.issuer) return INVALID;
  const aud = payload.aud;
  if (!(typeof aud === 'string' ? aud === options.audience : Array.isArray(aud) && aud.includes(options.audience))) return INVALID;

  const { nowSeconds: now, toleranceSeconds: tolerance } = options;
  if (payload.iat !== undefined && typeof payload.iat !== 'number') return INVALID;
  if (payload.nbf !== undefined && (typeof payload.nbf !== 'number' || payload.nbf > now + tolerance)) return INVALID;
  if (payload.exp !== undefined) {
    if (typeof payload.exp !== 'number') return INVALID;
    if (payload.exp <= now - tolerance) return EXPIRED;
  }
  return { ok: true, header, payload };
}

// The hot-path JWT check behind the authorizer: RS256 only, keys pre-imported as node:crypto
// KeyObjects, synchronous, no allocation beyond what parsing needs. It applies the same RFC 8725
// rules, in the same order, as jose's jwtVerify with our options; test/unit/tokens/jwt-verify.test.ts
// proves with fast-check that both accept and reject exactly the same tokens. jose stays the
// library for signing, key generation and JWK import/export.
import { constants, verify as rsaVerify, type KeyObject } from 'node:crypto';
import { base64url } from 'jose';

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

export type JwtVerifyResult =
  | { ok: true; header: Record<string, unknown>; payload: Record<string, unknown> }
  | { ok: false; reason: 'invalid' | 'expired' };

const INVALID: JwtVerifyResult = { ok: false, reason: 'invalid' };
const EXPIRED: JwtVerifyResult = { ok: false, reason: 'expired' };
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A JSON object with a plain prototype, as jose's isObject requires. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Object.prototype.toString.call(value) !== '[object Object]') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === null || Object.getPrototypeOf(prototype) === null;
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(utf8.decode(base64url.decode(part)));
    return isPlainObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function decodeBytes(part: string): Uint8Array | undefined {
  try {
    return base64url.decode(part);
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

/** Verifies signature and claims of a compact JWS JWT against one RSA public key. */
export function verifyJwt(token: string, key: KeyObject | undefined, options: JwtVerifyOptions): JwtVerifyResult {
  if (typeof token !== 'string') return INVALID;
  const parts = token.split('.');
  if (parts.length !== 3) return INVALID;
  const [encodedHeader, encodedPayload, encodedSignature] = parts as [string, string, string];

  const header = decodeJson(encodedHeader);
  if (!header || !critAllowsCompactJwt(header)) return INVALID;
  if (header.alg !== 'RS256') return INVALID;
  if (!key) return INVALID;
  // jose refuses a payload part with non-ASCII characters before checking the signature.
  if (!/^[\x00-\x7f]*$/.test(encodedPayload)) return INVALID;
  const signature = decodeBytes(encodedSignature);
  if (!signature) return INVALID;
  const signingInput = Buffer.from(`${encodedHeader}.${encodedPayload}`, 'utf8');
  if (!rsaVerify('sha256', signingInput, { key, padding: constants.RSA_PKCS1_PADDING }, signature)) return INVALID;

  const payload = decodeJson(encodedPayload);
  if (!payload) return INVALID;
  if (typeof header.typ !== 'string' || normaliseTyp(header.typ) !== normaliseTyp(options.typ)) return INVALID;
  for (const claim of ['iss', 'aud', ...options.requiredClaims]) {
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

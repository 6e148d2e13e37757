// Differential property test: the node:crypto fast path (lib/tokens/jwt-verify.ts) must accept and
// reject exactly the tokens jose's jwtVerify does with the same options, and call the same ones
// expired, except that it refuses every non-canonical base64url spelling, which jose forgives.
import { createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import fc from 'fast-check';
import { errors, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { isCanonicalBase64url, type JwtVerifyOptions, verifyJwt } from '../../../lib/tokens/jwt-verify.ts';

const ours = generateKeyPairSync('rsa', { modulusLength: 2048 });
const foreign = generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicKey = createPublicKey({ key: ours.publicKey.export({ format: 'jwk' }), format: 'jwk' });
const KID = 'our-kid';
const NOW = 1_800_000_000;
const options: JwtVerifyOptions = {
  typ: 'at+jwt',
  issuer: 'https://issuer.example',
  audience: 'api',
  nowSeconds: NOW,
  toleranceSeconds: 30,
  requiredClaims: ['sub', 'jti', 'exp', 'iat'],
};

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

function signToken(header: unknown, payload: unknown, key = ours.privateKey): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

async function joseOutcome(token: string): Promise<'ok' | 'invalid' | 'expired'> {
  try {
    await jwtVerify(
      token,
      async (header) => {
        if (header.kid !== KID) throw new Error('unknown kid');
        return publicKey;
      },
      {
        algorithms: ['RS256'],
        typ: options.typ,
        issuer: options.issuer,
        audience: options.audience,
        clockTolerance: options.toleranceSeconds,
        currentDate: new Date(NOW * 1000),
        requiredClaims: [...options.requiredClaims],
      },
    );
    return 'ok';
  } catch (error) {
    return error instanceof errors.JWTExpired ? 'expired' : 'invalid';
  }
}

/** What our verifier must answer: jose's verdict on canonical tokens, "invalid" on any other spelling. */
async function expectedOutcome(token: string): Promise<'ok' | 'invalid' | 'expired'> {
  const parts = token.split('.');
  return parts.length === 3 && parts.every(isCanonicalBase64url) ? joseOutcome(token) : 'invalid';
}

function fastOutcome(token: string): 'ok' | 'invalid' | 'expired' {
  const dot = token.indexOf('.');
  let kid: unknown;
  try {
    kid = JSON.parse(Buffer.from(token.slice(0, dot), 'base64url').toString()).kid;
  } catch {
    kid = undefined;
  }
  const result = verifyJwt(token, kid === KID ? publicKey : undefined, options);
  return result.ok ? 'ok' : result.reason;
}

const time = fc.oneof(
  fc.integer({ min: NOW - 4000, max: NOW + 4000 }),
  fc.constantFrom(NOW - 31, NOW - 30, NOW - 29, NOW + 29, NOW + 30, NOW + 31),
  fc.double(),
  fc.string(),
  fc.constant(null),
);

const DELETE = Symbol('delete');

/** Starts from a valid value and changes 0 to 2 members, so most cases are near the boundary. */
function perturbed(valid: Record<string, unknown>, changes: Record<string, fc.Arbitrary<unknown>>) {
  const entries = Object.entries(changes);
  return fc
    .array(fc.nat({ max: entries.length - 1 }), { maxLength: 2 })
    .chain((picks) => fc.tuple(...picks.map((i) => entries[i]![1].map((value) => [entries[i]![0], value] as const))))
    .map((overrides) => {
      const result: Record<string, unknown> = { ...valid };
      for (const [key, value] of overrides) {
        if (value === DELETE) delete result[key];
        else result[key] = value;
      }
      return result;
    });
}

const headerArb = perturbed(
  { alg: 'RS256', typ: 'at+jwt', kid: KID },
  {
    alg: fc.oneof(fc.constantFrom('none', 'HS256', 'RS512', 'PS256', 'rs256', '', DELETE), fc.integer()),
    typ: fc.oneof(fc.constantFrom('AT+JWT', 'application/at+jwt', 'Application/AT+jwt', 'JWT', 'service+jwt', DELETE), fc.integer()),
    kid: fc.constantFrom('other', DELETE),
    crit: fc.constantFrom(['b64'], [], ['exp'], ['b64', 'b64'], 'b64', [''], [1]),
    b64: fc.constantFrom(true, false, 'true', DELETE),
  },
).chain((header) =>
  // "crit" only matters together with the member it names: vary b64 whenever crit is present.
  header.crit === undefined
    ? fc.constant(header)
    : fc.constantFrom(true, false, 'true', undefined).map((b64) => (b64 === undefined ? header : { ...header, b64 })),
);

const payloadArb = perturbed(
  { iss: options.issuer, aud: 'api', sub: 'user-1', jti: 'jti-1', iat: NOW - 10, exp: NOW + 600 },
  {
    iss: fc.constantFrom('https://evil.example', 5, DELETE),
    aud: fc.constantFrom(['x', 'api'], ['x'], 'API', 7, [1, 'api'], DELETE),
    sub: fc.constantFrom(5, '', DELETE),
    jti: fc.constantFrom(DELETE, 1),
    exp: fc.oneof(time, fc.constant(DELETE)),
    nbf: time,
    iat: fc.oneof(time, fc.constant(DELETE)),
  },
);

const mutation = fc.oneof(
  fc.constant((t: string) => t),
  fc.constant((t: string) => t),
  fc.tuple(fc.nat(), fc.constantFrom('A', 'b', '-', '_', '.', '=', ' ', '+', '/', 'é')).map(([i, c]) => (t: string) => {
    const at = i % t.length;
    return t.slice(0, at) + c + t.slice(at + 1);
  }),
  fc.tuple(fc.nat(), fc.constantFrom(' ', '\t', '=', '.', '==')).map(([i, c]) => (t: string) => {
    const at = i % t.length;
    return t.slice(0, at) + c + t.slice(at);
  }),
  fc.constant((t: string) => `${t}=`),
  fc.constant((t: string) => `${t.split('.').slice(0, 2).join('.')}.`),
);

describe('fast JWT verification agrees with jose', () => {
  it('on random headers, claims, keys and corruptions (property)', async () => {
    await fc.assert(
      fc.asyncProperty(headerArb, payloadArb, fc.boolean(), mutation, async (header, payload, foreignKey, mutate) => {
        const token = mutate(signToken(header, payload, foreignKey ? foreign.privateKey : ours.privateKey));
        expect(fastOutcome(token)).toBe(await expectedOutcome(token));
      }),
      { numRuns: 3000 },
    );
  });

  it('on arbitrary strings (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'binary' }),
          fc.array(fc.base64String(), { minLength: 3, maxLength: 3 }).map((p) => p.join('.')),
        ),
        async (token) => {
          expect(fastOutcome(token)).toBe(await expectedOutcome(token));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('accepts a well-formed token and calls a stale one expired, like jose', async () => {
    const claims = { iss: options.issuer, aud: 'api', sub: 's', jti: 'j', iat: NOW, exp: NOW + 60 };
    const good = signToken({ alg: 'RS256', typ: 'at+jwt', kid: KID }, claims);
    expect(fastOutcome(good)).toBe('ok');
    const stale = signToken({ alg: 'RS256', typ: 'at+jwt', kid: KID }, { ...claims, exp: NOW - 31 });
    expect(fastOutcome(stale)).toBe('expired');
    expect(await joseOutcome(stale)).toBe('expired');
  });
});

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Other spellings of one base64url part that decode to the same bytes (empty when it has none of that kind). */
function respellings(part: string): string[] {
  const rest = part.length % 4;
  const spellings = [`${part}${'='.repeat((4 - rest) % 4 || 4)}`, ` ${part}`, `${part}\n`, part.replaceAll('-', '+').replaceAll('_', '/')];
  if (rest === 2 || rest === 3) {
    const last = ALPHABET.indexOf(part.at(-1)!);
    const unused = rest === 2 ? 0b1111 : 0b11;
    for (let bits = 1; bits <= unused; bits++) spellings.push(part.slice(0, -1) + ALPHABET[last | bits]);
  }
  return spellings.filter((spelling) => spelling !== part);
}

describe('one encoding per token', () => {
  const claims = { iss: options.issuer, aud: 'api', sub: 'user-1', jti: 'j', iat: NOW, exp: NOW + 60 };

  it('refuses a valid token whose signature is padded or has non-zero unused bits, which jose accepts', async () => {
    const [header, payload, signature] = signToken({ alg: 'RS256', typ: 'at+jwt', kid: KID }, claims).split('.') as [string, string, string];
    // A 2048-bit signature is 256 bytes: 342 characters, whose last one carries 4 unused bits.
    expect(signature.length % 4).toBe(2);
    for (const variant of [`${signature}==`, signature.slice(0, -1) + ALPHABET[ALPHABET.indexOf(signature.at(-1)!) | 1]]) {
      const token = `${header}.${payload}.${variant}`;
      expect(await joseOutcome(token)).toBe('ok');
      expect(fastOutcome(token)).toBe('invalid');
    }
  });

  it('refuses every non-canonical re-encoding of any part of a valid token (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 40 }), fc.nat({ max: 2 }), fc.nat(), async (subject, which, pick) => {
        const token = signToken({ alg: 'RS256', typ: 'at+jwt', kid: KID }, { ...claims, sub: subject || 's' });
        expect(fastOutcome(token)).toBe('ok');
        const parts = token.split('.');
        const variants = respellings(parts[which]!);
        const variant = variants[pick % variants.length]!;
        expect(Buffer.from(variant.trim().replace(/=+$/, ''), 'base64url').equals(Buffer.from(parts[which]!, 'base64url'))).toBe(true);
        parts[which] = variant;
        expect(fastOutcome(parts.join('.'))).toBe('invalid');
      }),
      { numRuns: 500 },
    );
  });
});

describe('fast JWT verification keys', () => {
  it('refuses a key that is not plain RSA, so the padding can never be PSS', () => {
    // An RSA-PSS key verifies with PSS padding by default: a PSS signature would pass as "RS256".
    const pss = generateKeyPairSync('rsa-pss', { modulusLength: 2048 });
    const claims = { iss: options.issuer, aud: 'api', sub: 's', jti: 'j', iat: NOW, exp: NOW + 60 };
    const token = signToken({ alg: 'RS256', typ: 'at+jwt', kid: KID }, claims, pss.privateKey);
    expect(verifyJwt(token, pss.publicKey, options)).toEqual({ ok: false, reason: 'invalid' });
    expect(verifyJwt(signToken({ alg: 'RS256', typ: 'at+jwt', kid: KID }, claims), publicKey, options).ok).toBe(true);
  });
});

// Section 1: the verify hot path. One RS256 access token signed by this service's key ring, keys
// already loaded, everything warm. Five verifiers, each given its fastest honest configuration,
// measured in interleaved rounds so drift (turbo, noisy neighbours, GC) hits all of them alike.
import { createPublicKey, type KeyObject, verify as rsaVerify } from 'node:crypto';
import { JwtRsaVerifier } from 'aws-jwt-verify';
import { createVerifier } from 'fast-jwt';
import { importJWK, type JWK, jwtVerify } from 'jose';
import { systemClock } from '../lib/support/clock.ts';
import { CLOCK_TOLERANCE_SECONDS, issueAccessToken, verifyAccessToken } from '../lib/tokens/access-tokens.ts';
import { createKeyEnvelope } from '../lib/tokens/key-envelope.ts';
import { createSigner } from '../lib/tokens/signer.ts';
import { createVerificationKeys } from '../lib/tokens/verification-keys.ts';
import { inProcessDataKeys } from '../scripts/local-kms/in-process.ts';
import { median, opsPerSecond } from './lib/stats.ts';
import { memorySigningKeyStore } from './support/memory-key-store.ts';
import { benchUser } from './support/user.ts';

export interface VerifyRow {
  id: string;
  label: string;
  opsPerSec: number;
  /** Every round's ops/s, for the README's spread. */
  rounds: number[];
}

export interface VerifyResult {
  rows: VerifyRow[];
  tokenBytes: number;
  windowMs: number;
  rounds: number;
}

interface Variant {
  id: string;
  label: string;
  isAsync: boolean;
  run: (token: string) => unknown;
}

const ISSUER = 'https://auth.example.com';
const AUDIENCE = 'auth-service';
const REQUIRED = ['sub', 'jti', 'exp', 'iat'];

/** Flips one character in the middle of the signature: a forged token every verifier must refuse. */
function tamper(token: string): string {
  const i = token.lastIndexOf('.') + 20;
  return token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
}

async function accepts(variant: Variant, token: string): Promise<boolean> {
  try {
    const out = (await variant.run(token)) as { sub?: unknown } | undefined;
    return typeof out?.sub === 'string';
  } catch {
    return false;
  }
}

export async function benchVerify(options: { windowMs: number; rounds: number; warmupMs: number }): Promise<VerifyResult> {
  const store = memorySigningKeyStore();
  // KMS stood in for in-process: the benchmark measures verifying, which never touches it.
  const envelope = createKeyEnvelope(inProcessDataKeys(), { service: 'bench', stage: 'bench' });
  const verificationKeys = createVerificationKeys({ reads: store, clock: systemClock, cacheSeconds: 3600 });
  const signer = createSigner({
    store,
    clock: systemClock,
    envelope: () => envelope,
    verificationKeys,
    maxTokenLifetimeSeconds: 1800,
  });
  const settings = { issuer: ISSUER, audience: AUDIENCE, clientId: 'bench', ttlSeconds: 1800 };
  const user = benchUser();
  const { token } = await issueAccessToken(user, { signer, clock: systemClock, settings }, crypto.randomUUID());
  const { token: otherAudience } = await issueAccessToken(
    user,
    { signer, clock: systemClock, settings: { ...settings, audience: 'someone-else' } },
    crypto.randomUUID(),
  );

  const jwks = { keys: (await verificationKeys.publicJwks()) as Array<JWK & { kid: string }> };
  const kid = (JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { kid: string }).kid;
  const jwk = jwks.keys.find((k) => k.kid === kid)!;
  const keyObject: KeyObject = createPublicKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' });
  const pem = keyObject.export({ type: 'spki', format: 'pem' }).toString();
  // Load the verification key once: "keys already loaded".
  await verificationKeys.verificationKey(kid);

  const deps = { verificationKeys, clock: systemClock, settings: { issuer: ISSUER, audience: AUDIENCE } };

  const awsVerifier = JwtRsaVerifier.create({
    issuer: ISSUER,
    audience: AUDIENCE,
    jwksUri: 'https://auth.example.com/.well-known/jwks.json',
    graceSeconds: CLOCK_TOLERANCE_SECONDS,
  });
  awsVerifier.cacheJwks(jwks as Parameters<typeof awsVerifier.cacheJwks>[0]);

  const fastVerifier = createVerifier({
    key: pem,
    algorithms: ['RS256'],
    allowedIss: ISSUER,
    allowedAud: AUDIENCE,
    requiredClaims: REQUIRED,
    clockTolerance: CLOCK_TOLERANCE_SECONDS * 1000,
    cache: false,
  });

  const joseKey = await importJWK(jwk, 'RS256');
  const joseOptions = {
    issuer: ISSUER,
    audience: AUDIENCE,
    typ: 'at+jwt',
    algorithms: ['RS256'],
    requiredClaims: REQUIRED,
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
  };

  const variants: Variant[] = [
    {
      id: 'a',
      label: '(a) node:crypto verify + JSON.parse (floor)',
      isAsync: false,
      run: (t) => {
        const first = t.indexOf('.');
        const last = t.lastIndexOf('.');
        if (!rsaVerify('sha256', Buffer.from(t.slice(0, last)), keyObject, Buffer.from(t.slice(last + 1), 'base64url'))) return undefined;
        return JSON.parse(Buffer.from(t.slice(first + 1, last), 'base64url').toString('utf8'));
      },
    },
    {
      id: 'b',
      label: '(b) this service: verifyAccessToken (key ring)',
      isAsync: true,
      run: (t) => verifyAccessToken(t, deps),
    },
    { id: 'c', label: '(c) aws-jwt-verify JwtRsaVerifier.verifySync', isAsync: false, run: (t) => awsVerifier.verifySync(t) },
    { id: 'd', label: '(d) fast-jwt createVerifier (no cache)', isAsync: false, run: (t) => fastVerifier(t) },
    { id: 'e', label: '(e) jose jwtVerify', isAsync: true, run: async (t) => (await jwtVerify(t, joseKey, joseOptions)).payload },
  ];

  // Honesty checks: every verifier accepts the real token and refuses a forged signature; every
  // library verifier refuses a token for another audience (they all really check the claims).
  for (const variant of variants) {
    if (!(await accepts(variant, token))) throw new Error(`${variant.label} refused the valid token`);
    if (await accepts(variant, tamper(token))) throw new Error(`${variant.label} accepted a forged signature`);
    if (variant.id !== 'a' && (await accepts(variant, otherAudience))) throw new Error(`${variant.label} accepted a token for another audience`);
  }

  for (const variant of variants) await opsPerSecond(() => variant.run(token), variant.isAsync, options.warmupMs);
  const samples = new Map<string, number[]>(variants.map((v) => [v.id, []]));
  for (let round = 0; round < options.rounds; round += 1) {
    // Rotate the order each round so no verifier always runs right after the same neighbour.
    for (let i = 0; i < variants.length; i += 1) {
      const variant = variants[(i + round) % variants.length]!;
      samples.get(variant.id)!.push(await opsPerSecond(() => variant.run(token), variant.isAsync, options.windowMs));
    }
  }
  return {
    rows: variants.map((v) => ({ id: v.id, label: v.label, opsPerSec: median(samples.get(v.id)!), rounds: samples.get(v.id)! })),
    tokenBytes: token.length,
    windowMs: options.windowMs,
    rounds: options.rounds,
  };
}

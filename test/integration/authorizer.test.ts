// The Lambda authorizer end to end against DynamoDB Local, for all three event kinds API Gateway
// sends (HTTP API 2.0, REST TOKEN, REST REQUEST): what it allows, what context it passes on, and
// every way a token must be refused. The clock is frozen and moved explicitly, never slept on.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type AuthorizerHandler, createAuthorizer } from '../../lib/auth/authorizer.ts';
import type { AuthorizerEvent, AuthorizerResult } from '../../lib/auth/authorizer-events.ts';
import type { User } from '../../lib/domain/user.ts';
import { log } from '../../lib/support/log.ts';
import { issueAccessToken } from '../../lib/tokens/access-tokens.ts';
import { issueServiceToken } from '../../lib/tokens/service-tokens.ts';
import { register } from '../../lib/use-cases/register.ts';
import { type SessionTokens, startSession } from '../../lib/use-cases/sessions.ts';
import type { Dependencies } from '../../lib/wiring/dependencies.ts';
import { asPolicy, asSimple, effectOf, requestEvent, STAGE_WILDCARD, tokenEvent, v2Event } from '../support/authorizer-events.ts';
import { type TestClock, testClock } from '../support/clock.ts';
import { testDependencies } from '../support/deps.ts';
import { updateStoredUser } from '../support/users.ts';

/** A whole second, so second-granularity claims (iat, nbf, exp) line up with the frozen clock. */
const START = Date.UTC(2026, 10, 23, 12, 0, 0);
const EXPIRED_MESSAGE = 'Authentication error: Token has expired. Please refresh.';
const PERMISSIONS = ['reports:read', 'hash:verify'];

/** The three event kinds, each carrying the token the way that kind does. */
const KINDS = {
  'HTTP API 2.0': (token: string) => v2Event({ authorization: `Bearer ${token}` }),
  'REST TOKEN': (token: string) => tokenEvent(`Bearer ${token}`),
  'REST REQUEST': (token: string) => requestEvent({ Authorization: `Bearer ${token}` }),
} satisfies Record<string, (token: string) => AuthorizerEvent>;
type Kind = keyof typeof KINDS;
const kinds = Object.keys(KINDS) as Kind[];

interface World {
  clock: TestClock;
  deps: Dependencies;
  /** Accepts access tokens (AUTHORIZER_AUDIENCE unset). */
  authorizer: AuthorizerHandler;
  /** Accepts hash-verification service tokens only. */
  serviceDeps: Dependencies;
  serviceAuthorizer: AuthorizerHandler;
  user: User;
  session: SessionTokens;
}

async function world(): Promise<World> {
  const clock = testClock(START);
  const deps = testDependencies(clock);
  const serviceDeps = testDependencies(clock, { AUTHORIZER_AUDIENCE: 'hash-verification' });
  const s = randomUUID().slice(0, 8);
  // Cheapest argon2 the config allows: hashing is not what is tested here.
  const registerDeps = testDependencies(clock, { ARGON2_MEMORY_KIB: '7168', ARGON2_ITERATIONS: '1' });
  const registered = await register({ username: `authz_${s}`, email: `authz_${s}@example.com`, password: 'correct horse battery staple' }, registerDeps);
  await updateStoredUser(deps, registered.id, { permissions: PERMISSIONS, emailVerified: true });
  const user = (await deps.users.get(registered.id))!;
  const session = await startSession(user, deps);
  return { clock, deps, authorizer: createAuthorizer(deps), serviceDeps, serviceAuthorizer: createAuthorizer(serviceDeps), user, session };
}

const token = (w: World) => w.session.accessToken.token;
const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString()) as Record<string, unknown>;
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function isAllowed(kind: Kind, result: AuthorizerResult): boolean {
  return kind === 'HTTP API 2.0' ? asSimple(result).isAuthorized : effectOf(result) === 'Allow';
}

/** A refusal in the kind's own format (not a throw), with our reason in the context. */
function expectDenied(kind: Kind, result: AuthorizerResult, message = 'Authentication error: Invalid token.') {
  if (kind === 'HTTP API 2.0') {
    expect(asSimple(result).isAuthorized).toBe(false);
  } else {
    expect(effectOf(result)).toBe('Deny');
    expect(asPolicy(result).policyDocument.Statement[0]).toMatchObject({ Resource: STAGE_WILDCARD });
    expect(asPolicy(result).principalId).not.toBe('');
  }
  expect(result.context).toMatchObject({ message });
  for (const value of Object.values(result.context ?? {})) expect(typeof value).toBe('string');
}

describe('authorizer: a valid access token', () => {
  it.each(kinds)('is allowed for %s with the caller as string-only context', async (kind) => {
    const w = await world();
    const result = await w.authorizer(KINDS[kind](token(w)));
    const expectedContext = {
      sub: w.user.id,
      username: w.user.username,
      email: w.user.email,
      email_verified: 'true',
      permissions: 'reports:read,hash:verify',
      token_type: 'access_token',
      jti: w.session.accessToken.jti,
      sid: w.session.sessionId,
      client_id: w.deps.accessTokens.clientId,
      // How the user authenticated (a password, at the session's start), for APIs that demand more.
      acr: 'aal1',
      amr: 'pwd',
      auth_time: String(decode(token(w).split('.')[1]!).auth_time),
    };
    expect(Number(expectedContext.auth_time)).toBeGreaterThan(0);
    expect(result.context).toEqual(expectedContext);
    // REST APIs refuse an authorizer answer whose context holds anything but strings, numbers, booleans.
    for (const value of Object.values(result.context!)) expect(typeof value).toBe('string');
    if (kind === 'HTTP API 2.0') {
      expect(result).toEqual({ isAuthorized: true, context: expectedContext });
    } else {
      expect(asPolicy(result)).toEqual({
        principalId: w.user.id,
        policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: STAGE_WILDCARD }] },
        context: expectedContext,
      });
    }
  });

  it('is read from X-Auth-Token and from a bare TOKEN value too', async () => {
    const w = await world();
    expect(asSimple(await w.authorizer(v2Event({ 'x-auth-token': token(w) }))).isAuthorized).toBe(true);
    expect(effectOf(await w.authorizer(requestEvent({ 'X-Auth-Token': token(w) })))).toBe('Allow');
    expect(effectOf(await w.authorizer(tokenEvent(token(w))))).toBe('Allow');
  });

  it('passes email_verified "false" and an empty permissions string for a fresh user', async () => {
    const w = await world();
    const s = randomUUID().slice(0, 8);
    const plain = await register(
      { username: `plain_${s}`, email: `plain_${s}@example.com`, password: 'correct horse battery staple' },
      testDependencies(w.clock, { ARGON2_MEMORY_KIB: '7168', ARGON2_ITERATIONS: '1' }),
    );
    const { accessToken } = await startSession(plain, w.deps);
    const result = await w.authorizer(KINDS['REST TOKEN'](accessToken.token));
    expect(result.context).toMatchObject({ sub: plain.id, email_verified: 'false', permissions: '' });
  });
});

describe('authorizer: refused tokens', () => {
  it.each(kinds)('%s: tampered payload or signature', async (kind) => {
    const w = await world();
    const [header, payload, signature] = token(w).split('.') as [string, string, string];
    const elevated = encode({ ...decode(payload), permissions: ['admin'] });
    // A character in the middle: the last one of an RS256 signature carries padding bits.
    const i = Math.floor(signature.length / 2);
    const flipped = signature.slice(0, i) + (signature[i] === 'A' ? 'B' : 'A') + signature.slice(i + 1);
    expectDenied(kind, await w.authorizer(KINDS[kind](`${header}.${elevated}.${signature}`)));
    expectDenied(kind, await w.authorizer(KINDS[kind](`${header}.${payload}.${flipped}`)));
  });

  it.each(kinds)('%s: alg "none"', async (kind) => {
    const w = await world();
    const [header, payload] = token(w).split('.') as [string, string, string];
    const none = `${encode({ ...decode(header), alg: 'none' })}.${payload}.`;
    expectDenied(kind, await w.authorizer(KINDS[kind](none)));
  });

  it.each(kinds)('%s: signed by a foreign RSA key that claims our kid', async (kind) => {
    const w = await world();
    const [header, payload] = token(w).split('.') as [string, string, string];
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = await new SignJWT(decode(payload)).setProtectedHeader(decode(header) as { alg: string; kid: string; typ: string }).sign(privateKey);
    expect(decode(forged.split('.')[0]!)).toEqual(decode(header));
    expectDenied(kind, await w.authorizer(KINDS[kind](forged)));
  });

  it.each(kinds)('%s: a service token where an access token is expected, and the reverse', async (kind) => {
    const w = await world();
    const service = w.deps.config.services.find((s) => s.id === 'hash-verification')!;
    const serviceToken = await issueServiceToken(w.user, service, { signer: w.deps.signer, clock: w.clock, settings: w.deps.serviceTokens });
    expectDenied(kind, await w.authorizer(KINDS[kind](serviceToken.token)));
    expectDenied(kind, await w.serviceAuthorizer(KINDS[kind](token(w))));
  });

  it.each(kinds)('%s: expired once exp + the 5 s leeway has passed, with the refresh message', async (kind) => {
    const w = await world();
    const exp = w.session.accessToken.expiresAt;
    w.clock.set(exp + 4_000);
    expect(isAllowed(kind, await w.authorizer(KINDS[kind](token(w))))).toBe(true);
    w.clock.set(exp + 5_000);
    const result = await w.authorizer(KINDS[kind](token(w)));
    expectDenied(kind, result, EXPIRED_MESSAGE);
    expect(result.context).toEqual({ code: 'token_expired', message: EXPIRED_MESSAGE });
  });

  it.each(kinds)('%s: a revoked jti, once the 1 s cache has passed', async (kind) => {
    const w = await world();
    const event = KINDS[kind](token(w));
    expect(isAllowed(kind, await w.authorizer(event))).toBe(true);
    const { jti, expiresAt } = w.session.accessToken;
    await w.deps.revocations.revokeJti(jti, Math.floor(expiresAt / 1000), w.clock.now());
    w.clock.advance(1);
    expectDenied(kind, await w.authorizer(event));
  });

  it('a missing token: REST throws exactly "Unauthorized" (401), HTTP API 2.0 is denied', async () => {
    const w = await world();
    for (const event of [
      tokenEvent(''),
      tokenEvent('Basic dXNlcjpwYXNz'),
      requestEvent({}),
      requestEvent(null),
      requestEvent({ Authorization: 'Basic abc' }),
    ]) {
      await expect(w.authorizer(event)).rejects.toThrow(new Error('Unauthorized'));
    }
    for (const event of [v2Event({}), v2Event(undefined), v2Event({ authorization: 'Basic abc' })]) {
      const result = asSimple(await w.authorizer(event));
      expect(result.isAuthorized).toBe(false);
      expect(result.context).toMatchObject({ code: 'missing_token' });
    }
  });
});

describe('authorizer: not-before', () => {
  async function mintedAhead(w: World, seconds: number): Promise<string> {
    const ahead = testClock(w.clock.now() + seconds * 1000);
    return (await issueAccessToken(w.user, { signer: w.deps.signer, clock: ahead, settings: w.deps.accessTokens })).token;
  }

  it.each(kinds)('%s: accepts nbf exactly 5 s ahead (the leeway) and refuses 6 s ahead', async (kind) => {
    const w = await world();
    const at5 = await mintedAhead(w, 5);
    const at6 = await mintedAhead(w, 6);
    expect(decode(at5.split('.')[1]!).nbf).toBe(START / 1000 + 5);
    expect(isAllowed(kind, await w.authorizer(KINDS[kind](at5)))).toBe(true);
    expectDenied(kind, await w.authorizer(KINDS[kind](at6)));
  });
});

describe('authorizer: service audience', () => {
  it.each(kinds)('%s: accepts a hash-verification service token as token_type service_token', async (kind) => {
    const w = await world();
    const service = w.serviceDeps.config.services.find((s) => s.id === 'hash-verification')!;
    const issued = await issueServiceToken(w.user, service, { signer: w.serviceDeps.signer, clock: w.clock, settings: w.serviceDeps.serviceTokens });
    const result = await w.serviceAuthorizer(KINDS[kind](issued.token));
    expect(isAllowed(kind, result)).toBe(true);
    expect(result.context).toEqual({
      sub: w.user.id,
      username: w.user.username,
      email: w.user.email,
      email_verified: 'true',
      permissions: 'reports:read,hash:verify',
      token_type: 'service_token',
      jti: issued.jti,
      client_id: w.serviceDeps.config.clientId,
    });
    if (kind !== 'HTTP API 2.0') expect(asPolicy(result).principalId).toBe(w.user.id);
  });
});

describe("authorizer: failures that are not the caller's", () => {
  afterEach(() => vi.restoreAllMocks());

  it.each(kinds)('%s: fails closed (throws) when the token state cannot be read', async (kind) => {
    const w = await world();
    const quiet = vi.spyOn(log, 'error').mockImplementation(() => {});
    const broken = createAuthorizer({
      config: w.deps.config,
      tokenChecker: { check: () => Promise.reject(new Error('DynamoDB is unreachable')) },
    });
    await expect(broken(KINDS[kind](token(w)))).rejects.toThrow('DynamoDB is unreachable');
    expect(quiet).toHaveBeenCalledOnce();
  });
});

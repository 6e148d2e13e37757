// Issue 15, findings 10 and 12, through the token checker and the Lambda authorizer on DynamoDB
// Local: a real token re-spelled in another base64url encoding is refused, and a token stops working
// at the `expires_at` we returned plus the small clock leeway (TOKEN_CLOCK_LEEWAY_SECONDS), frozen clock.
import { describe, expect, it } from 'vitest';
import { type AuthorizerHandler, createAuthorizer } from '../../lib/auth/authorizer.ts';
import type { AuthorizerResult } from '../../lib/auth/authorizer-events.ts';
import { serviceTokenBody, sessionTokensBody } from '../../lib/http/token-bodies.ts';
import { issueServiceToken } from '../../lib/tokens/service-tokens.ts';
import { startSession } from '../../lib/use-cases/sessions.ts';
import type { Dependencies } from '../../lib/wiring/dependencies.ts';
import { asSimple, v2Event } from '../support/authorizer-events.ts';
import { type TestClock, testClock } from '../support/clock.ts';
import { testDependencies } from '../support/deps.ts';
import { storedUser } from '../support/users.ts';

/** A whole second, so the second-granularity `exp` lines up with the frozen clock. */
const START = Date.UTC(2026, 10, 23, 12, 0, 0);
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

interface World {
  clock: TestClock;
  deps: Dependencies;
  authorizer: AuthorizerHandler;
}

async function world(env: Record<string, string> = {}): Promise<World & { token: string; body: ReturnType<typeof sessionTokensBody> }> {
  const clock = testClock(START);
  const deps = testDependencies(clock, env);
  const user = await storedUser(deps, 'life', { emailVerified: true });
  const session = await startSession(user, deps);
  return { clock, deps, authorizer: createAuthorizer(deps), token: session.accessToken.token, body: sessionTokensBody(session, clock.now()) };
}

const allowed = async (authorizer: AuthorizerHandler, token: string) =>
  asSimple((await authorizer(v2Event({ authorization: `Bearer ${token}` }))) as AuthorizerResult).isAuthorized;
const checks = (w: World, token: string, audience = w.deps.accessTokens.audience) =>
  w.deps.tokenChecker.check(token, audience).then(
    () => 'ok',
    (error: { code?: string }) => error.code,
  );

/** Re-spellings of a real token that decode to the same header, payload and signature bytes. */
function respelled(token: string): [string, string][] {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const lastBits = (part: string) => part.slice(0, -1) + ALPHABET[ALPHABET.indexOf(part.at(-1)!) | 1];
  const padded = (part: string) => part + '='.repeat((4 - (part.length % 4)) % 4 || 4);
  const variants: [string, string][] = [
    ['signature padded with ==', `${header}.${payload}.${padded(signature)}`],
    ['signature with non-zero unused bits', `${header}.${payload}.${lastBits(signature)}`],
    ['payload padded', `${header}.${padded(payload)}.${signature}`],
    ['header padded', `${padded(header)}.${payload}.${signature}`],
    ['signature in the standard alphabet', `${header}.${payload}.${signature.replaceAll('-', '+').replaceAll('_', '/')}`],
  ];
  if (payload.length % 4 >= 2) variants.push(['payload with non-zero unused bits', `${header}.${lastBits(payload)}.${signature}`]);
  if (header.length % 4 >= 2) variants.push(['header with non-zero unused bits', `${lastBits(header)}.${payload}.${signature}`]);
  return variants.filter(([, variant]) => variant !== token);
}

describe('one encoding per token (finding 10)', () => {
  it('refuses every re-spelling of a real access token, in the token checker and the authorizer', async () => {
    const w = await world();
    expect(await checks(w, w.token)).toBe('ok');
    expect(await allowed(w.authorizer, w.token)).toBe(true);
    const variants = respelled(w.token);
    // The signature (342 characters for 256 bytes) always has a padded and a last-bits variant.
    expect(variants.map(([what]) => what)).toEqual(expect.arrayContaining(['signature padded with ==', 'signature with non-zero unused bits']));
    for (const [what, variant] of variants) {
      expect([what, await checks(w, variant)]).toEqual([what, 'invalid_token']);
      expect([what, await allowed(w.authorizer, variant)]).toEqual([what, false]);
    }
  });
});

describe('honest lifetimes (finding 12)', () => {
  it('an access token works until the expires_at we returned, and not past it plus the 5 s leeway', async () => {
    const w = await world();
    const expiresAt = Date.parse(w.body.expires_at);
    expect(expiresAt).toBe(START + w.body.expires_in * 1000);
    w.clock.set(expiresAt - 1000);
    expect(await checks(w, w.token)).toBe('ok');
    expect(await allowed(w.authorizer, w.token)).toBe(true);
    w.clock.set(expiresAt + 4_000);
    expect(await checks(w, w.token)).toBe('ok');
    w.clock.set(expiresAt + 5_000 + 1000);
    expect(await checks(w, w.token)).toBe('token_expired');
    expect(await allowed(w.authorizer, w.token)).toBe(false);
  });

  it('follows TOKEN_CLOCK_LEEWAY_SECONDS: with 0, a token is refused at expires_at', async () => {
    const w = await world({ TOKEN_CLOCK_LEEWAY_SECONDS: '0' });
    const expiresAt = Date.parse(w.body.expires_at);
    w.clock.set(expiresAt - 1000);
    expect(await allowed(w.authorizer, w.token)).toBe(true);
    w.clock.set(expiresAt);
    expect(await checks(w, w.token)).toBe('token_expired');
    expect(await allowed(w.authorizer, w.token)).toBe(false);
  });

  it('a service token too, in the token checker and a service authorizer', async () => {
    const clock = testClock(START);
    const deps = testDependencies(clock, { AUTHORIZER_AUDIENCE: 'hash-verification' });
    const user = await storedUser(deps, 'life', { emailVerified: true });
    const service = deps.config.services.find((s) => s.id === 'hash-verification')!;
    const issued = await issueServiceToken(user, service, { signer: deps.signer, clock, settings: deps.serviceTokens });
    const body = serviceTokenBody(issued, service.id, clock.now());
    const expiresAt = Date.parse(body.expires_at);
    const authorizer = createAuthorizer(deps);
    const w = { clock, deps, authorizer };
    clock.set(expiresAt - 1000);
    expect(await checks(w, issued.token, service.id)).toBe('ok');
    expect(await allowed(authorizer, issued.token)).toBe(true);
    clock.set(expiresAt + 5_000 + 1000);
    expect(await checks(w, issued.token, service.id)).toBe('token_expired');
    expect(await allowed(authorizer, issued.token)).toBe(false);
  });
});

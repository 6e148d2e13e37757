// The authorize decisions with stand-in stores: a store outage goes back to the client as
// temporarily_unavailable with state and iss (OAuth 2.1 §4.1.2.1, RFC 9207), other failures do not
// turn into redirects, and a first-party client is not asked for consent unless prompt=consent.
import { describe, expect, it } from 'vitest';
import type { AuthorizationParameters } from '../../../lib/domain/authorization-request.ts';
import { DependencyUnavailableError } from '../../../lib/domain/errors.ts';
import type { OAuthClient } from '../../../lib/domain/oauth-client.ts';
import { type AuthorizeDeps, authorize } from '../../../lib/use-cases/authorize.ts';
import type { SignedIn } from '../../../lib/use-cases/browser-sessions.ts';

const params: AuthorizationParameters = {
  clientId: 'c_1',
  redirectUri: 'https://app.example/cb',
  scopes: ['openid'],
  state: 'st',
  codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  prompt: [],
};
const client = { clientId: 'c_1', firstParty: true, scopes: ['openid'] } as OAuthClient;
const signedIn = { session: { sessionId: 's', authTime: 1_000, amr: ['pwd'] }, user: { id: 'u' } } as SignedIn;

function deps(overrides: Partial<Record<'create', () => Promise<void>>> = {}): AuthorizeDeps {
  return {
    clock: { now: () => 1_000_000 },
    config: { issuer: 'https://issuer.example', oauth: { authorizationCodeTtlSeconds: 60 } },
    authorizationCodes: { create: overrides.create ?? (async () => undefined) },
    authorizationRequests: { create: async () => undefined, delete: async () => true },
    consents: { scopes: async () => [] },
  } as unknown as AuthorizeDeps;
}

describe('authorize with stand-in stores', () => {
  it('an outage is temporarily_unavailable at the client, with state and iss', async () => {
    const step = await authorize(params, client, signedIn, deps({ create: () => Promise.reject(new DependencyUnavailableError()) }));
    expect(step.kind).toBe('redirect');
    const url = new URL((step as { location: string }).location);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ error: 'temporarily_unavailable', state: 'st', iss: 'https://issuer.example' });
  });

  it('a bug is not turned into a redirect', async () => {
    await expect(authorize(params, client, signedIn, deps({ create: () => Promise.reject(new Error('bug')) }))).rejects.toThrow('bug');
  });

  it('a first-party client gets a code without consent, unless prompt=consent', async () => {
    const step = await authorize(params, client, signedIn, deps());
    expect(new URL((step as { location: string }).location).searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await authorize({ ...params, prompt: ['consent'] }, client, signedIn, deps())).kind).toBe('consent');
  });

  it('acr_values=aal2: a session without a second factor goes to the login page when the user has one, not otherwise', async () => {
    const aal2 = { ...params, acrValues: ['aal2'] };
    const withFactor = { ...signedIn, user: { id: 'u', mfaTotp: true } } as SignedIn;
    expect((await authorize(aal2, client, withFactor, deps())).kind).toBe('login');
    // aal1 accepted as well: the session will do.
    expect((await authorize({ ...params, acrValues: ['aal2', 'aal1'] }, client, withFactor, deps())).kind).toBe('redirect');
    // A session that had the second factor.
    const strong = { ...withFactor, session: { ...withFactor.session, amr: ['pwd', 'otp', 'mfa'], acr: 'aal2' } } as SignedIn;
    expect((await authorize(aal2, client, strong, deps())).kind).toBe('redirect');
    // No factor: aal2 cannot be reached, the sign-in completes (the ID token's acr says aal1).
    expect((await authorize(aal2, client, signedIn, deps())).kind).toBe('redirect');
    // prompt=none cannot show the page: login_required.
    const none = await authorize({ ...aal2, prompt: ['none'] }, client, withFactor, deps());
    expect(new URL((none as { location: string }).location).searchParams.get('error')).toBe('login_required');
  });
});

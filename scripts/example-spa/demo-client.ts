// The example app's OAuth client, registered by `npm start`: public (PKCE, no secret), first-party
// (no consent screen), its redirect and post-logout URI the example's own URL. Created on the first
// start and brought up to date on later ones (the example's port may have moved), so a stale
// registration never breaks the demo.
import type { OAuthClient, OAuthClientStore } from '../../lib/domain/oauth-client.ts';

/** Fixed, so the id in the example's page and in the docs stays the same; in the `c_` + 22 characters form of generated ids. */
export const DEMO_CLIENT_ID = 'c_example-spa-npm-start1';
export const DEMO_CLIENT_NAME = 'Example single-page app (npm start)';

/** What the demo client must look like for an example served at `exampleUrl` (with its trailing slash). */
export function demoClient(exampleUrl: string, now: number, clientId = DEMO_CLIENT_ID): OAuthClient {
  return {
    clientId,
    name: DEMO_CLIENT_NAME,
    type: 'public',
    tokenEndpointAuthMethod: 'none',
    redirectUris: [exampleUrl],
    postLogoutRedirectUris: [exampleUrl],
    scopes: ['openid', 'profile', 'email'],
    grantTypes: ['authorization_code', 'refresh_token'],
    firstParty: true,
    resources: [],
    registeredBy: 'admin',
    clientUri: exampleUrl,
    createdAt: now,
    updatedAt: now,
  };
}

/** The registered fields that matter; timestamps aside. */
function sameRegistration(a: OAuthClient, b: OAuthClient): boolean {
  const { createdAt: _ca, updatedAt: _ua, ...left } = a;
  const { createdAt: _cb, updatedAt: _ub, ...right } = b;
  return JSON.stringify(left, Object.keys(left).sort()) === JSON.stringify(right, Object.keys(right).sort());
}

/**
 * Creates the demo client, or updates it when its registration differs (another port, an edit by
 * hand); returns what was done.
 */
export async function ensureDemoClient(
  store: OAuthClientStore,
  exampleUrl: string,
  now: number = Date.now(),
  clientId = DEMO_CLIENT_ID,
): Promise<'created' | 'updated' | 'unchanged'> {
  const wanted = demoClient(exampleUrl, now, clientId);
  const current = await store.get(clientId);
  if (!current) {
    await store.create(wanted);
    return 'created';
  }
  if (sameRegistration(current, { ...wanted, createdAt: current.createdAt, updatedAt: current.updatedAt })) return 'unchanged';
  // Never move updatedAt backwards: it is the optimistic-concurrency token.
  await store.update({ ...wanted, createdAt: current.createdAt, updatedAt: Math.max(now, current.updatedAt + 1) }, current.updatedAt);
  return 'updated';
}

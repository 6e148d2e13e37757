// The example app's demo client (scripts/example-spa/demo-client.ts): `npm start` creates it once and
// brings it up to date when the example moves to another port or someone edited it, and otherwise
// leaves it alone.
import { describe, expect, it } from 'vitest';
import type { OAuthClient, OAuthClientStore } from '../../../lib/domain/oauth-client.ts';
import { DEMO_CLIENT_ID, demoClient, ensureDemoClient } from '../../../scripts/example-spa/demo-client.ts';

/** An in-memory store with the real one's update condition (updatedAt as the concurrency token). */
function memoryStore(): OAuthClientStore & { items: Map<string, OAuthClient> } {
  const items = new Map<string, OAuthClient>();
  return {
    items,
    async create(client) {
      if (items.has(client.clientId)) throw new Error('exists');
      items.set(client.clientId, structuredClone(client));
    },
    async get(clientId) {
      const found = items.get(clientId);
      return found && structuredClone(found);
    },
    async list() {
      return [...items.values()];
    },
    async update(client, expectedUpdatedAt) {
      if (items.get(client.clientId)?.updatedAt !== expectedUpdatedAt) throw new Error('conflict');
      items.set(client.clientId, structuredClone(client));
    },
    async delete(clientId) {
      return items.delete(clientId);
    },
    async isClientOrigin() {
      return false;
    },
  };
}

const URL_A = 'http://localhost:3003/';
const URL_B = 'http://localhost:4003/';

describe('the demo client', () => {
  it('has an id in the form of generated ones (c_ + 22 base64url characters)', () => {
    expect(DEMO_CLIENT_ID).toMatch(/^c_[A-Za-z0-9_-]{22}$/);
  });

  it('is a first-party public client of the example URL, for sign-in, refresh and the OIDC scopes', () => {
    expect(demoClient(URL_A, 1000)).toMatchObject({
      type: 'public',
      tokenEndpointAuthMethod: 'none',
      firstParty: true,
      redirectUris: [URL_A],
      postLogoutRedirectUris: [URL_A],
      grantTypes: ['authorization_code', 'refresh_token'],
      scopes: ['openid', 'profile', 'email'],
      registeredBy: 'admin',
    });
    expect(demoClient(URL_A, 1000).secretHash).toBeUndefined();
  });

  it('is created at the first start and left alone at the next one', async () => {
    const store = memoryStore();
    expect(await ensureDemoClient(store, URL_A, 1000)).toBe('created');
    expect(await ensureDemoClient(store, URL_A, 2000)).toBe('unchanged');
    expect(store.items.get(DEMO_CLIENT_ID)).toMatchObject({ createdAt: 1000, updatedAt: 1000 });
  });

  it('follows the example to another port, keeping its creation time', async () => {
    const store = memoryStore();
    await ensureDemoClient(store, URL_A, 1000);
    expect(await ensureDemoClient(store, URL_B, 2000)).toBe('updated');
    expect(store.items.get(DEMO_CLIENT_ID)).toMatchObject({ redirectUris: [URL_B], postLogoutRedirectUris: [URL_B], createdAt: 1000, updatedAt: 2000 });
  });

  it('undoes an edit by hand, and never moves updatedAt backwards (a clock behind the stored one)', async () => {
    const store = memoryStore();
    await ensureDemoClient(store, URL_A, 5000);
    store.items.set(DEMO_CLIENT_ID, { ...store.items.get(DEMO_CLIENT_ID)!, firstParty: false, scopes: ['openid'] });
    expect(await ensureDemoClient(store, URL_A, 1000)).toBe('updated');
    expect(store.items.get(DEMO_CLIENT_ID)).toMatchObject({ firstParty: true, scopes: ['openid', 'profile', 'email'], updatedAt: 5001 });
  });
});

// Client authentication (OAuth 2.1 §2.4, RFC 6749 §2.3.1): how the credentials are read from the
// request, and how they are judged against the registered client. One answer, invalid_client, for
// every refusal.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../lib/domain/errors.ts';
import type { OAuthClient, OAuthClientStore } from '../../../lib/domain/oauth-client.ts';
import { presentedClient } from '../../../lib/http/client-credentials.ts';
import { usedBasicCredentials } from '../../../lib/http/request.ts';
import { clientSecretHash } from '../../../lib/tokens/client-secrets.ts';
import { authenticateClient } from '../../../lib/use-cases/oauth-client-authentication.ts';
import { httpEvent } from '../../support/http-event.ts';

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const withAuth = (authorization?: string) => httpEvent({ headers: authorization ? { authorization } : {} });

async function refusal(run: () => Promise<unknown> | unknown): Promise<string | undefined> {
  try {
    await run();
    return undefined;
  } catch (error) {
    return error instanceof AppError ? error.code : String(error);
  }
}

describe('presentedClient', () => {
  it('reads client_secret_basic, form-decoding id and secret (RFC 6749 §2.3.1), and marks the request as Basic', () => {
    const event = withAuth(basic('c_a%3Ab', 'p%2Bq+r%25'));
    expect(presentedClient(event, {})).toEqual({ clientId: 'c_a:b', secret: 'p+q r%', method: 'client_secret_basic' });
    expect(usedBasicCredentials(event)).toBe(true);
  });

  it('reads client_secret_post and a public client id alone', () => {
    expect(presentedClient(withAuth(), { client_id: 'c_1', client_secret: 's' })).toEqual({ clientId: 'c_1', secret: 's', method: 'client_secret_post' });
    expect(presentedClient(withAuth(), { client_id: 'c_1' })).toEqual({ clientId: 'c_1', method: 'none' });
    expect(presentedClient(withAuth(), {})).toBeUndefined();
  });

  it('allows the same client_id in the body beside Basic, as libraries send it', () => {
    expect(presentedClient(withAuth(basic('c_1', 's')), { client_id: 'c_1' })).toMatchObject({ clientId: 'c_1', method: 'client_secret_basic' });
  });

  it('refuses two methods at once (OAuth 2.1 §2.4.1) and a differing client_id as invalid_request', async () => {
    expect(await refusal(() => presentedClient(withAuth(basic('c_1', 's')), { client_secret: 's' }))).toBe('invalid_request');
    expect(await refusal(() => presentedClient(withAuth(basic('c_1', 's')), { client_id: 'c_2' }))).toBe('invalid_request');
    expect(await refusal(() => presentedClient(withAuth(), { client_secret: 's' }))).toBe('invalid_request');
  });

  it('refuses malformed Basic credentials as invalid_client', async () => {
    expect(await refusal(() => presentedClient(withAuth('Basic !!!'), {}))).toBe('invalid_client');
    expect(await refusal(() => presentedClient(withAuth(`Basic ${Buffer.from('no-colon').toString('base64')}`), {}))).toBe('invalid_client');
    expect(await refusal(() => presentedClient(withAuth(basic('c_1', '%E0%A4%A')), {}))).toBe('invalid_client');
  });
});

const SECRET = 'correct-secret';
const base = {
  name: 'App',
  redirectUris: ['https://app.example/cb'],
  postLogoutRedirectUris: [],
  scopes: ['openid'],
  grantTypes: ['authorization_code' as const],
  firstParty: true,
  resources: [],
  registeredBy: 'admin' as const,
  createdAt: 0,
  updatedAt: 0,
};
const confidential: OAuthClient = {
  ...base,
  clientId: 'c_conf',
  type: 'confidential',
  tokenEndpointAuthMethod: 'client_secret_basic',
  secretHash: clientSecretHash(SECRET),
};
const posting: OAuthClient = { ...confidential, clientId: 'c_post', tokenEndpointAuthMethod: 'client_secret_post' };
const publicClient: OAuthClient = { ...base, clientId: 'c_pub', type: 'public', tokenEndpointAuthMethod: 'none' };
const store = {
  get: async (id: string) => {
    // As DynamoDB refuses a key over its limit: such an id must never reach the store.
    if (id.length > 1024) throw new Error('key too large');
    return [confidential, posting, publicClient].find((c) => c.clientId === id);
  },
} as OAuthClientStore;
const deps = { oauthClients: store };

describe('authenticateClient', () => {
  it('accepts each client with its registered method and secret', async () => {
    expect((await authenticateClient({ clientId: 'c_conf', secret: SECRET, method: 'client_secret_basic' }, deps)).clientId).toBe('c_conf');
    expect((await authenticateClient({ clientId: 'c_post', secret: SECRET, method: 'client_secret_post' }, deps)).clientId).toBe('c_post');
    expect((await authenticateClient({ clientId: 'c_pub', method: 'none' }, deps)).clientId).toBe('c_pub');
  });

  it.each([
    ['no credentials', undefined],
    ['an unknown client', { clientId: 'c_nobody', secret: SECRET, method: 'client_secret_basic' as const }],
    ['a client id longer than any (never looked up)', { clientId: 'c'.repeat(5000), method: 'none' as const }],
    ['a wrong secret', { clientId: 'c_conf', secret: 'wrong', method: 'client_secret_basic' as const }],
    ['an empty secret', { clientId: 'c_conf', secret: '', method: 'client_secret_basic' as const }],
    ['another method than registered', { clientId: 'c_conf', secret: SECRET, method: 'client_secret_post' as const }],
    ['a confidential client without its secret', { clientId: 'c_conf', method: 'none' as const }],
    ['a public client with a secret', { clientId: 'c_pub', secret: 'anything', method: 'client_secret_post' as const }],
  ])('refuses %s with invalid_client', async (_name, presented) => {
    expect(await refusal(() => authenticateClient(presented, deps))).toBe('invalid_client');
  });

  it('stores secrets as SHA-256 hex (never the secret itself)', () => {
    expect(clientSecretHash('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

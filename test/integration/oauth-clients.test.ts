import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { NotFoundError, OAuthError } from '../../lib/domain/errors.ts';
import { oauthClientKey } from '../../lib/store/keys.ts';
import { clientSecretHash, clientSecretMatches } from '../../lib/tokens/client-secrets.ts';
import { checkRegistrationAccess, registerClientDynamically } from '../../lib/use-cases/dynamic-client-registration.ts';
import type { ClientMetadataInput } from '../../lib/use-cases/oauth-client-metadata.ts';
import {
  createClient,
  deleteClient,
  getClient,
  issueRegistrationToken,
  listClients,
  registrationTokenIsValid,
  rotateClientSecret,
  updateClient,
} from '../../lib/use-cases/oauth-client-registry.ts';
import type { Dependencies } from '../../lib/wiring/dependencies.ts';
import { runAdminCli } from '../support/admin-cli.ts';
import { testClock } from '../support/clock.ts';
import { testDependencies } from '../support/deps.ts';

const START = Date.UTC(2026, 10, 29, 12, 0, 0);

function setup() {
  const clock = testClock(START);
  return { clock, deps: testDependencies(clock) };
}

/** A fresh host per test, so origins never collide with another test's clients. */
const host = () => `app-${Math.random().toString(36).slice(2, 10)}.example.com`;

const webApp = (origin = `https://${host()}`): ClientMetadataInput => ({
  name: 'Reports portal',
  tokenEndpointAuthMethod: 'client_secret_basic',
  redirectUris: [`${origin}/cb`],
  grantTypes: ['authorization_code', 'refresh_token'],
});

const storedItem = async (deps: Dependencies, clientId: string) =>
  (await deps.db.send(new GetCommand({ TableName: deps.config.tableName, Key: oauthClientKey(clientId), ConsistentRead: true }))).Item;

async function expectOAuthError(promise: Promise<unknown>, code: string) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OAuthError);
  expect((error as OAuthError).code).toBe(code);
}

describe('creating clients', () => {
  it('gives a confidential client a secret once and stores only its SHA-256', async () => {
    const { deps } = setup();
    const { client, secret } = await createClient(webApp(), 'admin', deps);
    expect(client.clientId).toMatch(/^c_[A-Za-z0-9_-]{22}$/);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const item = await storedItem(deps, client.clientId);
    expect(item).toMatchObject({ secretHash: clientSecretHash(secret!), clientType: 'confidential', registeredBy: 'admin', createdAt: START });
    expect(JSON.stringify(item)).not.toContain(secret);
    expect(await getClient(client.clientId, deps)).toEqual(client);
  });

  it('gives a public client no secret', async () => {
    const { deps } = setup();
    const { client, secret } = await createClient({ ...webApp(), tokenEndpointAuthMethod: 'none' }, 'admin', deps);
    expect(secret).toBeUndefined();
    expect(client.type).toBe('public');
    expect(await storedItem(deps, client.clientId)).not.toHaveProperty('secretHash');
  });

  it('stores nothing when the metadata is refused', async () => {
    const { deps } = setup();
    const before = (await listClients(deps)).length;
    await expectOAuthError(createClient({ ...webApp(), redirectUris: ['http://app.example.com/cb'] }, 'admin', deps), 'invalid_redirect_uri');
    expect((await listClients(deps)).length).toBe(before);
  });

  it('registers dynamic clients as third-party with at most the OpenID scopes', async () => {
    const { deps } = setup();
    const { client, secret } = await registerClientDynamically({ redirect_uris: [`https://${host()}/cb`], client_name: 'RP' }, deps);
    expect(client).toMatchObject({ registeredBy: 'dynamic', firstParty: false, scopes: ['openid', 'profile', 'email'], type: 'confidential' });
    expect(secret).toBeDefined();
  });
});

describe('CORS origins', () => {
  it('follow the redirect URIs through create, update and delete', async () => {
    const { deps } = setup();
    const [first, second] = [`https://${host()}`, `https://${host()}`];
    const { client } = await createClient({ ...webApp(first), tokenEndpointAuthMethod: 'none' }, 'admin', deps);
    expect(await deps.oauthClients.isClientOrigin(first)).toBe(true);
    expect(await deps.oauthClients.isClientOrigin(second)).toBe(false);

    await updateClient(client.clientId, { redirectUris: [`${second}/callback`] }, deps);
    expect(await deps.oauthClients.isClientOrigin(first)).toBe(false);
    expect(await deps.oauthClients.isClientOrigin(second)).toBe(true);

    expect(await deleteClient(client.clientId, deps)).toBe(true);
    expect(await deps.oauthClients.isClientOrigin(second)).toBe(false);
    expect(await deleteClient(client.clientId, deps)).toBe(false);
    await expect(getClient(client.clientId, deps)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('of a loopback redirect match any port (RFC 8252 §7.3)', async () => {
    const { deps } = setup();
    const port = 40_000 + Math.floor(Math.random() * 20_000);
    await createClient({ ...webApp(), tokenEndpointAuthMethod: 'none', redirectUris: [`http://127.0.0.1:${port}/cb`] }, 'admin', deps);
    expect(await deps.oauthClients.isClientOrigin('http://127.0.0.1:1234')).toBe(true);
    const rows = await deps.db.send(
      new QueryCommand({
        TableName: deps.config.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'CLIENTORIGIN#http://127.0.0.1' },
      }),
    );
    expect(rows.Items?.length).toBeGreaterThan(0);
  });
});

describe('changing clients', () => {
  it('replaces the given fields, keeps the others, and moves updatedAt on', async () => {
    const { clock, deps } = setup();
    const { client } = await createClient(webApp(), 'admin', deps);
    clock.advance(5);
    const updated = await updateClient(client.clientId, { name: 'Renamed', scopes: ['openid', 'reports:read'], firstParty: true }, deps);
    expect(updated).toMatchObject({ name: 'Renamed', scopes: ['openid', 'reports:read'], firstParty: true, redirectUris: client.redirectUris });
    expect(updated.secretHash).toBe(client.secretHash);
    expect(updated.updatedAt).toBe(START + 5000);
    expect(await getClient(client.clientId, deps)).toEqual(updated);
  });

  it('checks a change with every rule, and never turns a public client confidential or back', async () => {
    const { deps } = setup();
    const { client } = await createClient(webApp(), 'admin', deps);
    await expectOAuthError(updateClient(client.clientId, { tokenEndpointAuthMethod: 'none' }, deps), 'invalid_client_metadata');
    await expectOAuthError(updateClient(client.clientId, { redirectUris: ['https://app.example.com/cb#x'] }, deps), 'invalid_redirect_uri');
    const spa = await createClient({ ...webApp(), tokenEndpointAuthMethod: 'none' }, 'admin', deps);
    await expectOAuthError(updateClient(spa.client.clientId, { tokenEndpointAuthMethod: 'client_secret_post' }, deps), 'invalid_client_metadata');
    expect(await getClient(client.clientId, deps)).toEqual(client);
  });

  it('keeps the dynamic rules for a dynamically registered client', async () => {
    const { deps } = setup();
    const { client } = await registerClientDynamically({ redirect_uris: [`https://${host()}/cb`] }, deps);
    await expectOAuthError(updateClient(client.clientId, { scopes: ['openid', 'reports:read'] }, deps), 'invalid_client_metadata');
    expect((await updateClient(client.clientId, { firstParty: true }, deps)).firstParty).toBe(false);
  });

  it('rotates a confidential secret: the new one matches, the old one no longer does', async () => {
    const { deps } = setup();
    const { client, secret: old } = await createClient(webApp(), 'admin', deps);
    const { secret: fresh } = await rotateClientSecret(client.clientId, deps);
    const stored = await getClient(client.clientId, deps);
    expect(clientSecretMatches(fresh!, stored.secretHash!)).toBe(true);
    expect(clientSecretMatches(old!, stored.secretHash!)).toBe(false);
    const spa = await createClient({ ...webApp(), tokenEndpointAuthMethod: 'none' }, 'admin', deps);
    await expectOAuthError(rotateClientSecret(spa.client.clientId, deps), 'invalid_client_metadata');
    await expect(rotateClientSecret('c_nobody', deps)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('initial access tokens (RFC 7591 §3)', () => {
  it('work until they expire, and only as issued', async () => {
    const { clock, deps } = setup();
    const { token, expiresAt } = await issueRegistrationToken(600, deps);
    expect(expiresAt).toBe(START / 1000 + 600);
    expect(await registrationTokenIsValid(token, deps)).toBe(true);
    expect(await registrationTokenIsValid(`${token}x`, deps)).toBe(false);
    await expect(checkRegistrationAccess('token', token, deps)).resolves.toBeUndefined();
    clock.advance(600);
    expect(await registrationTokenIsValid(token, deps)).toBe(false);
    await expect(checkRegistrationAccess('token', token, deps)).rejects.toMatchObject({ code: 'invalid_token' });
  });

  it('are needed in token mode and not in open mode', async () => {
    const { deps } = setup();
    await expect(checkRegistrationAccess('token', undefined, deps)).rejects.toMatchObject({ code: 'missing_token' });
    await expect(checkRegistrationAccess('open', undefined, deps)).resolves.toBeUndefined();
  });

  it('live between a minute and a day', async () => {
    const { deps } = setup();
    for (const ttl of [59, 86_401, 1.5]) await expect(issueRegistrationToken(ttl, deps)).rejects.toMatchObject({ code: 'invalid_request' });
  });
});

// Each run starts a Node process that loads the AWS SDK: slow on a busy machine, hence the timeout.
describe('the clients commands as a child process', { timeout: 90_000 }, () => {
  const cli = (args: string[]) => runAdminCli(['clients', ...args]);

  it('creates a client printing its secret once, shows it without, and deletes it', async () => {
    const created = await cli(['create', '--name', 'CLI app', '--redirect-uri', `https://${host()}/cb`, '--json']);
    expect(created.code, created.stderr).toBe(0);
    const information = JSON.parse(created.stdout);
    expect(information).toMatchObject({ client_name: 'CLI app', token_endpoint_auth_method: 'client_secret_basic', client_secret_expires_at: 0 });
    expect(information.grant_types).toEqual(['authorization_code', 'refresh_token']);
    const { deps } = setup();
    expect(clientSecretMatches(information.client_secret, (await getClient(information.client_id, deps)).secretHash!)).toBe(true);

    const [shown, listed] = await Promise.all([cli(['show', information.client_id]), cli(['list'])]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(information.client_id);
    expect(shown.stdout).toContain('confidential (client_secret_basic)');
    expect(listed.stdout).toContain(information.client_id);
    for (const output of [shown.stdout, listed.stdout]) expect(output).not.toContain(information.client_secret);

    const deleted = await cli(['delete', information.client_id]);
    expect(deleted).toMatchObject({ code: 0, stdout: expect.stringContaining(`Deleted client ${information.client_id}`) });
  });

  it('issues an initial access token, and exits 1 saying why for a refused client', async () => {
    const [token, refused] = await Promise.all([
      cli(['registration-token', '--ttl', '120']),
      cli(['create', '--name', 'Bad', '--redirect-uri', 'http://app.example.com/cb']),
    ]);
    expect(token.code, token.stderr).toBe(0);
    const value = token.stdout.trim().split('\n').at(-1)!;
    expect(await registrationTokenIsValid(value, setup().deps)).toBe(true);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/redirect_uris: .* uses http/);
  });
});

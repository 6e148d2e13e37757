// The admin CLI against DynamoDB Local: its operations in-process with a frozen clock (disabling ends
// every session and token at once and enabling revives none, permissions open and close services,
// listings show no secret, unknown users fail), and the real `scripts/admin.ts` as a child process.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createUser, disableUser, enableUser } from '../../lib/admin/accounts.ts';
import { adminTarget } from '../../lib/admin/environment.ts';
import { AdminError, UnknownUserError, UsageError } from '../../lib/admin/errors.ts';
import { unlockUser } from '../../lib/admin/login-lockout.ts';
import { userOverview } from '../../lib/admin/overview.ts';
import { grantPermission, revokePermission } from '../../lib/admin/permissions.ts';
import { rotateSigningKeys } from '../../lib/admin/signing-keys.ts';
import {
  ConflictError,
  InsufficientPermissionError,
  InvalidCredentialsError,
  InvalidRefreshTokenError,
  InvalidTokenError,
  TooManyRequestsError,
  ValidationError,
} from '../../lib/domain/errors.ts';
import { verifyPassword } from '../../lib/passwords/hashing.ts';
import { userKey } from '../../lib/store/keys.ts';
import { signingKeyStore } from '../../lib/store/signing-keys.ts';
import { sha256 } from '../../lib/tokens/opaque.ts';
import { createApiToken } from '../../lib/use-cases/api-tokens.ts';
import { authenticateUser } from '../../lib/use-cases/login.ts';
import { issueServiceTokenFor } from '../../lib/use-cases/service-token.ts';
import { refreshSession, startSession } from '../../lib/use-cases/sessions.ts';
import type { Dependencies } from '../../lib/wiring/dependencies.ts';
import { runAdminCli } from '../support/admin-cli.ts';
import { type TestClock, testClock } from '../support/clock.ts';
import { freshTable, testDependencies } from '../support/deps.ts';
import { storedUser, updateStoredUser } from '../support/users.ts';

const START = Date.UTC(2026, 10, 23, 12, 0, 0, 500);
const SERVICES = JSON.stringify([{ id: 'reports', name: 'Reports', permission: 'reports:read' }]);

function setup(env: Record<string, string> = {}): { clock: TestClock; deps: Dependencies } {
  const clock = testClock(START);
  return { clock, deps: testDependencies(clock, { SERVICES, ...env }) };
}

const check = (deps: Dependencies, token: string, audience = deps.accessTokens.audience) => deps.tokenChecker.check(token, audience);
const profileItem = async (deps: Dependencies, userId: string) =>
  (await deps.db.send(new GetCommand({ TableName: deps.config.tableName, Key: userKey(userId), ConsistentRead: true }))).Item;

/** A user with a live session (refresh + access token) and a live API token. */
async function userWithCredentials(deps: Dependencies) {
  const user = await storedUser(deps, 'adm');
  const session = await startSession(user, deps);
  const caller = await check(deps, session.accessToken.token);
  const { token: apiToken } = await createApiToken(caller, { name: 'ci' }, deps);
  await expect(check(deps, apiToken)).resolves.toMatchObject({ tokenType: 'api_token' });
  return { user, session, apiToken };
}

describe('disable and enable', () => {
  it('disabling ends the refresh token, the access token and the API token at once; enabling revives none', async () => {
    const { clock, deps } = setup();
    const { user, session, apiToken } = await userWithCredentials(deps);
    clock.advance(2); // past the token checker's one-second cache

    const result = await disableUser(user.username, deps);
    expect(result).toMatchObject({ previousStatus: 'active', user: { id: user.id, status: 'disabled' } });
    // One write set the status and both "valid after" times.
    expect(await profileItem(deps, user.id)).toMatchObject({ status: 'disabled', validAfterMs: clock.now(), apiTokensValidAfterMs: clock.now() });

    const allRefused = async () => {
      await expect(refreshSession(session.refreshToken, deps)).rejects.toBeInstanceOf(InvalidRefreshTokenError);
      await expect(check(deps, session.accessToken.token)).rejects.toBeInstanceOf(InvalidTokenError);
      await expect(check(deps, apiToken)).rejects.toBeInstanceOf(InvalidTokenError);
    };
    await allRefused();

    clock.advance(2);
    expect(await enableUser(user.email, deps)).toMatchObject({ previousStatus: 'disabled', user: { status: 'active' } });
    await allRefused();

    // A new login works as usual.
    const fresh = (await deps.users.get(user.id))!;
    const again = await startSession(fresh, deps);
    await expect(check(deps, again.accessToken.token)).resolves.toMatchObject({ user: { id: user.id } });
    await expect(refreshSession(again.refreshToken, deps)).resolves.toMatchObject({ sessionId: again.sessionId });
  });

  it('never moves "valid after" backwards, and repeating either command is harmless', async () => {
    const { clock, deps } = setup();
    const user = await storedUser(deps, 'adm');
    const later = clock.now() + 60_000; // set by a machine whose clock is ahead
    await updateStoredUser(deps, user.id, { validAfterMs: later });

    await disableUser(user.id, deps);
    expect(await profileItem(deps, user.id)).toMatchObject({ status: 'disabled', validAfterMs: later, apiTokensValidAfterMs: later });
    expect((await disableUser(user.id, deps)).previousStatus).toBe('disabled');

    await enableUser(user.id, deps);
    expect(await enableUser(user.id, deps)).toMatchObject({ previousStatus: 'active', user: { status: 'active' } });
  });
});

describe('unlock', () => {
  it('ends the failed-login wait, so the right password works again at once; the next failures count from zero', async () => {
    const { clock, deps } = setup({ LOGIN_MAX_FAILURES: '3' });
    const password = 'correct horse battery staple';
    const user = await createUser({ username: `unl_${Date.now()}`, email: `unl_${Date.now()}@example.com`, password }, deps);
    const attempt = (pw: string) => authenticateUser({ login: user.username, password: pw }, deps);
    for (let i = 0; i < 3; i += 1) await expect(attempt('wrong password')).rejects.toBeInstanceOf(InvalidCredentialsError);
    clock.advance(1);
    await expect(attempt(password)).rejects.toBeInstanceOf(TooManyRequestsError);

    expect(await unlockUser(user.email, deps)).toMatchObject({ user: { id: user.id }, failures: 3, secondsLeft: 59 });
    await expect(attempt(password)).resolves.toMatchObject({ id: user.id });
    // A fresh streak: two failures do not lock again.
    for (let i = 0; i < 2; i += 1) await expect(attempt('wrong password')).rejects.toBeInstanceOf(InvalidCredentialsError);
    await expect(attempt(password)).resolves.toMatchObject({ id: user.id });
    expect(await unlockUser(user.id, deps)).toMatchObject({ failures: 0, secondsLeft: 0 });
    await expect(unlockUser('no-such-user-anywhere', deps)).rejects.toBeInstanceOf(UnknownUserError);
  });

  it('ends a spent 24-hour budget too: it reports the wait to the first hour with room, then the budget is whole again', async () => {
    const { clock, deps } = setup({ LOGIN_DAILY_MAX_FAILURES: '4', LOGIN_MAX_FAILURES: '100' });
    const password = 'correct horse battery staple';
    const user = await createUser({ username: `unb_${Date.now()}`, email: `unb_${Date.now()}@example.com`, password }, deps);
    const attempt = (pw: string) => authenticateUser({ login: user.username, password: pw }, deps);
    for (let i = 0; i < 2; i += 1) await expect(attempt('wrong password')).rejects.toBeInstanceOf(InvalidCredentialsError);
    await expect(attempt(password)).rejects.toBeInstanceOf(TooManyRequestsError);
    clock.advance(3600);
    await expect(attempt(password)).rejects.toBeInstanceOf(TooManyRequestsError);

    // The failures were in the hour from 12:00: the budget opens at 13:00 the next day.
    expect(await unlockUser(user.username, deps)).toMatchObject({ secondsLeft: Math.ceil((Date.UTC(2026, 10, 24, 13) - clock.now()) / 1000) });
    await expect(attempt(password)).resolves.toMatchObject({ id: user.id });
    for (let i = 0; i < 2; i += 1) await expect(attempt('wrong password')).rejects.toBeInstanceOf(InvalidCredentialsError);
    await expect(attempt(password)).rejects.toBeInstanceOf(TooManyRequestsError);
  });
});

describe('grant and revoke', () => {
  it('grant makes the service token obtainable; revoke refuses new ones and ends the issued one', async () => {
    const { clock, deps } = setup();
    const user = await storedUser(deps, 'adm', { permissions: ['other'] });
    await expect(issueServiceTokenFor(user, 'reports', deps)).rejects.toBeInstanceOf(InsufficientPermissionError);

    const grant = await grantPermission(user.username, 'reports:read', deps);
    expect(grant).toMatchObject({ changed: true, user: { permissions: ['other', 'reports:read'] }, services: [{ id: 'reports' }] });
    const again = await grantPermission(user.email, 'reports:read', deps);
    expect(again).toMatchObject({ changed: false, user: { permissions: ['other', 'reports:read'] } });

    const { token } = await issueServiceTokenFor(grant.user, 'reports', deps);
    await expect(check(deps, token.token, 'reports')).resolves.toMatchObject({ tokenType: 'service_token' });
    clock.advance(2);

    const revoke = await revokePermission(user.id, 'reports:read', deps);
    expect(revoke).toMatchObject({ changed: true, user: { permissions: ['other'] } });
    expect((await revokePermission(user.id, 'reports:read', deps)).changed).toBe(false);
    await expect(check(deps, token.token, 'reports')).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(issueServiceTokenFor(revoke.user, 'reports', deps)).rejects.toBeInstanceOf(InsufficientPermissionError);
  });

  it('removes only the permission named, and refuses names that are not permissions', async () => {
    const { deps } = setup();
    const user = await storedUser(deps, 'adm', { permissions: ['a', 'b', 'c'] });
    expect((await revokePermission(user.id, 'b', deps)).user.permissions).toEqual(['a', 'c']);
    await expect(grantPermission(user.id, 'has space', deps)).rejects.toBeInstanceOf(UsageError);
    await expect(grantPermission(user.id, '', deps)).rejects.toBeInstanceOf(UsageError);
  });
});

describe('list', () => {
  it("shows the user's sessions and API tokens, newest first, with their state and no secret", async () => {
    const { clock, deps } = setup();
    const { user, session, apiToken } = await userWithCredentials(deps);
    await storedUser(deps, 'adm-other').then((other) => startSession(other, deps));
    clock.advance(60);
    const refreshed = await refreshSession(session.refreshToken, deps);
    clock.advance(60);
    const second = await startSession(user, deps);
    await deps.sessions.revokeFamily(second.sessionId, 'logout', clock.now());

    const view = await userOverview(user.email, deps);
    expect(view.user).toMatchObject({ id: user.id, status: 'active', permissions: [] });
    expect(view.sessions).toEqual([
      {
        id: second.sessionId,
        state: 'revoked',
        revokedReason: 'logout',
        createdAt: iso(clock.now()),
        revokedAt: iso(clock.now()),
        expiresAt: expect.any(String),
      },
      {
        id: session.sessionId,
        state: 'active',
        createdAt: iso(START),
        lastRefreshedAt: iso(START + 60_000),
        expiresAt: iso((Math.floor((START + 60_000) / 1000) + deps.config.refreshTokenTtlSeconds) * 1000),
      },
    ]);
    expect(view.apiTokens).toEqual([
      { id: expect.any(String), name: 'ci', state: 'active', createdAt: iso(START), expiresAt: expect.any(String), lastUsedAt: iso(START) },
    ]);

    const text = JSON.stringify(view);
    const stored = (await profileItem(deps, user.id))!;
    for (const secret of [
      session.refreshToken,
      refreshed.refreshToken,
      apiToken,
      sha256(apiToken),
      sha256(refreshed.refreshToken),
      String(stored.passwordHash),
    ]) {
      expect(text).not.toContain(secret);
    }

    await disableUser(user.id, deps);
    const after = await userOverview(user.id, deps);
    expect(after.sessions.map((s) => s.state)).toEqual(['revoked', 'ended']);
    expect(after.apiTokens.map((t) => t.state)).toEqual(['ended']);
  });
});

describe('create', () => {
  it('registers with the same validation and hashing as POST /register', async () => {
    const { deps } = setup();
    const name = `adm_${Date.now().toString(36)}`;
    const user = await createUser({ username: name, email: `${name}@example.com`, password: 'a fine admin passphrase', profile: { first_name: 'Ada' } }, deps);
    expect(user).toMatchObject({ username: name, status: 'active', permissions: [], profile: { first_name: 'Ada' } });
    expect(await verifyPassword(user.passwordHash, 'a fine admin passphrase')).toBe(true);

    await expect(createUser({ username: name, email: `x${name}@example.com`, password: 'a fine admin passphrase' }, deps)).rejects.toBeInstanceOf(
      ConflictError,
    );
    const invalid = createUser({ username: 'x', email: 'not-an-email', password: 'short' }, deps);
    await expect(invalid).rejects.toBeInstanceOf(ValidationError);
    await expect(invalid).rejects.toMatchObject({
      errors: expect.arrayContaining([expect.objectContaining({ field: 'password' }), expect.objectContaining({ field: 'email' })]),
    });
  });
});

describe('unknown users', () => {
  it('every user command fails with UnknownUserError, by name, email or id', async () => {
    const { deps } = setup();
    for (const reference of ['nobody-here', 'nobody@example.com', '00000000-0000-4000-8000-000000000000']) {
      await expect(disableUser(reference, deps)).rejects.toBeInstanceOf(UnknownUserError);
      await expect(enableUser(reference, deps)).rejects.toBeInstanceOf(UnknownUserError);
      await expect(grantPermission(reference, 'p', deps)).rejects.toBeInstanceOf(UnknownUserError);
      await expect(revokePermission(reference, 'p', deps)).rejects.toBeInstanceOf(UnknownUserError);
      await expect(userOverview(reference, deps)).rejects.toBeInstanceOf(UnknownUserError);
    }
  });
});

describe('rotate-keys', () => {
  it('rotates, and refuses, changing nothing, when it cannot open the stored keys', async () => {
    const tableName = await freshTable();
    const { deps } = setup({ TABLE_NAME: tableName });
    const first = await rotateSigningKeys(deps); // an empty table gets its first keys
    const second = await rotateSigningKeys(deps);
    expect(second).toEqual({ kid: first.nextKid, nextKid: expect.any(String), retiredKid: first.kid });

    const keys = signingKeyStore(deps.db, tableName);
    const before = await keys.loadSealed();
    // Another stage's context: KMS refuses the data keys, as it would a role of another stage.
    const wrong = setup({ TABLE_NAME: tableName, KEY_CONTEXT_STAGE: 'elsewhere' }).deps;
    await expect(rotateSigningKeys(wrong)).rejects.toThrow(/cannot be decrypted \(InvalidCiphertextException.*nothing was changed/);
    expect(await keys.loadSealed()).toEqual(before);
    await expect(rotateSigningKeys(deps)).resolves.toMatchObject({ kid: second.nextKid });
  });
});

describe('target environment', () => {
  const local = { tableName: 'auth-service-local', kmsKeyId: 'alias/auth-service-local', legacySecret: () => 's'.repeat(40) };
  const noRegion = async () => undefined;

  it('defaults to the local stack, and a stage to auth-service-<stage> and its KMS alias unless TABLE_NAME / KMS_KEY_ID are set', async () => {
    const here = await adminTarget({ stage: undefined, keyAccess: 'kms', env: { DYNAMODB_PORT: '8123', KMS_PORT: '8124' }, local, defaultRegion: noRegion });
    expect(here.env).toMatchObject({
      TABLE_NAME: 'auth-service-local',
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:8123',
      KMS_ENDPOINT: 'http://127.0.0.1:8124',
      KMS_KEY_ID: 'alias/auth-service-local',
    });
    // Only keys migrate is given the old secret.
    expect(here.env.KEY_ENCRYPTION_SECRET).toBeUndefined();
    const migrating = await adminTarget({ stage: undefined, keyAccess: 'migrate', env: {}, local, defaultRegion: noRegion });
    expect(migrating.env.KEY_ENCRYPTION_SECRET).toBe('s'.repeat(40));

    const stage = await adminTarget({
      stage: 'prod',
      keyAccess: 'none',
      env: { AWS_REGION: 'eu-west-1', KEY_ENCRYPTION_SECRET: 'x'.repeat(40) },
      local,
      defaultRegion: noRegion,
    });
    expect(stage.env).toMatchObject({
      TABLE_NAME: 'auth-service-prod',
      AWS_REGION: 'eu-west-1',
      KMS_KEY_ID: 'alias/auth-service-prod',
      KEY_CONTEXT_STAGE: 'prod',
    });
    expect(stage.env.DYNAMODB_ENDPOINT).toBeUndefined();
    expect(stage.env.KEY_ENCRYPTION_SECRET).toBeUndefined();
    const named = await adminTarget({ stage: 'prod', keyAccess: 'none', env: { TABLE_NAME: 'mine' }, local, defaultRegion: async () => 'ap-south-1' });
    expect(named.env).toMatchObject({ TABLE_NAME: 'mine', AWS_REGION: 'ap-south-1' });
  });

  it('needs KEY_ENCRYPTION_SECRET for a stage only to migrate, a region, and a real stage name', async () => {
    const env = { AWS_REGION: 'eu-west-1' };
    await expect(adminTarget({ stage: 'prod', keyAccess: 'migrate', env, local, defaultRegion: noRegion })).rejects.toThrow(/KEY_ENCRYPTION_SECRET/);
    await expect(adminTarget({ stage: 'prod', keyAccess: 'kms', env, local, defaultRegion: noRegion })).resolves.toBeTruthy();
    await expect(adminTarget({ stage: 'prod', keyAccess: 'none', env: {}, local, defaultRegion: noRegion })).rejects.toBeInstanceOf(AdminError);
    await expect(adminTarget({ stage: 'a b', keyAccess: 'none', env, local, defaultRegion: noRegion })).rejects.toBeInstanceOf(UsageError);
  });
});

// Each run starts a Node process that loads the AWS SDK: slow on a busy machine, hence the timeout.
describe('the CLI as a child process', { timeout: 90_000 }, () => {
  const cli = runAdminCli;

  it('prints the usage for help, and exits 1 with the usage for bad command lines', async () => {
    const [help, unknown, missing, extra, option, noPassword] = await Promise.all([
      cli(['help']),
      cli(['frobnicate']),
      cli(['disable']),
      cli(['grant', 'jane', 'a', 'b']),
      cli(['list', 'jane', '--jsn']),
      cli(['create', 'jane', 'jane@example.com']),
    ]);
    expect(help).toMatchObject({ code: 0, stdout: expect.stringContaining('Usage: npm run admin -- <command>') });
    expect(unknown).toMatchObject({ code: 1, stderr: expect.stringContaining('Unknown command "frobnicate"') });
    expect(unknown.stderr).toContain('Usage: npm run admin');
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining('"disable" takes <user>; got none') });
    expect(extra).toMatchObject({ code: 1, stderr: expect.stringContaining('"grant" takes <user> <permission>') });
    expect(option).toMatchObject({ code: 1, stderr: expect.stringContaining("Unknown option '--jsn'") });
    // stdin is a pipe here, not a terminal, so there is nobody to prompt.
    expect(noPassword).toMatchObject({ code: 1, stderr: expect.stringContaining('--password-stdin') });
  });

  it('creates, lists, disables and reports unknown users', async () => {
    const name = `cli_${Date.now().toString(36)}`;
    const password = 'a passphrase from stdin';
    const created = await cli(['create', name, `${name}@example.com`, '--password-stdin', '--country', 'NL'], { input: `${password}\n` });
    expect(created).toMatchObject({ code: 0, stdout: expect.stringContaining(`Created ${name} (id `) });
    expect(created.stdout + created.stderr).not.toContain(password);

    const deps = testDependencies();
    const user = (await deps.users.findByLogin(name))!;
    expect(user.profile).toEqual({ country: 'NL' });
    expect(await verifyPassword(user.passwordHash, password)).toBe(true); // the newline is not part of it
    const session = await startSession(user, deps);

    const disabled = await cli(['disable', `${name}@example.com`]);
    expect(disabled).toMatchObject({ code: 0, stdout: expect.stringContaining(`Disabled ${name}`) });
    await expect(refreshSession(session.refreshToken, deps)).rejects.toBeInstanceOf(InvalidRefreshTokenError);

    const listed = await cli(['list', user.id, '--json']);
    expect(listed.code).toBe(0);
    const view = JSON.parse(listed.stdout);
    expect(view).toMatchObject({ user: { username: name, status: 'disabled' }, sessions: [{ id: session.sessionId, state: 'ended' }], apiTokens: [] });
    expect(listed.stdout).not.toContain(session.refreshToken);

    const unknown = await cli(['enable', 'no-such-user-anywhere']);
    expect(unknown).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('No user with the username, email address, id or external id "no-such-user-anywhere"'),
    });
  });

  it('with --stage, uses table auth-service-<stage> and the region of the AWS profile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'admin-cli-'));
    writeFileSync(join(dir, 'config'), '[profile admin-test]\nregion = eu-west-3\n');
    const result = await cli(['list', 'jane', '--stage', 'nosuchstage'], {
      env: { TABLE_NAME: undefined, AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined, AWS_PROFILE: 'admin-test', AWS_CONFIG_FILE: join(dir, 'config') },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('stage nosuchstage: table auth-service-nosuchstage in eu-west-3');
    expect(result.stderr).toContain('The table does not exist');
  });
});

const iso = (ms: number) => new Date(ms).toISOString();

// Signing keys against DynamoDB Local: concurrent cold starts create exactly one key, the private
// key is stored only encrypted, and rotation keeps the old key published while its tokens live.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { User } from '../../lib/domain/user.ts';
import { issueAccessToken, verifyAccessToken } from '../../lib/tokens/access-tokens.ts';
import { testClock } from '../support/clock.ts';
import { freshTable, testDependencies } from '../support/deps.ts';

const user = { id: 'u1', username: 'jane', email: 'jane@example.com', emailVerified: false, permissions: [] } as unknown as User;

describe('signing keys in DynamoDB', () => {
  it('creates exactly one key when eight instances sign their first token at once', async () => {
    const tableName = await freshTable();
    const instances = Array.from({ length: 8 }, () => testDependencies(undefined, { TABLE_NAME: tableName }));
    const kids = await Promise.all(instances.map(async (deps) => (await deps.signer.signingKey()).kid));
    expect(new Set(kids).size).toBe(1);
    // Published: the current key and the next one, staged for the first rotation.
    const jwks = await instances[0]!.verificationKeys.publicJwks();
    expect(jwks).toHaveLength(2);
    expect(jwks.map((k) => k.kid)).toContain(kids[0]);
  });

  it('stores the private key only encrypted', async () => {
    const tableName = await freshTable();
    const deps = testDependencies(undefined, { TABLE_NAME: tableName });
    await deps.signer.signingKey();
    const { Items = [] } = await deps.db.send(
      new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'SIGNING_KEYS' } }),
    );
    const keys = Items.filter((item) => item.sk.startsWith('KEY#'));
    expect(keys).toHaveLength(2);
    for (const key of keys) {
      expect(key.publicJwk.d).toBeUndefined();
      expect(key.encryptedPrivateJwk).toMatch(/^kms1\./);
      expect(JSON.stringify(key)).not.toMatch(/"d":/);
    }
  });

  it('rotates to the pre-published key: new tokens use it, old tokens still verify, another instance sees it', async () => {
    const tableName = await freshTable();
    const clock = testClock();
    const signing = testDependencies(clock, { TABLE_NAME: tableName, KEY_CACHE_SECONDS: '0' });
    const verifying = testDependencies(clock, { TABLE_NAME: tableName });
    const settings = signing.accessTokens;
    const before = await issueAccessToken(user, { signer: signing.signer, clock, settings });
    await verifyAccessToken(before.token, { verificationKeys: verifying.verificationKeys, clock, settings });

    const publishedBefore = (await verifying.verificationKeys.publicJwks()).map((k) => k.kid);
    const { kid, nextKid, retiredKid } = await signing.signer.rotate();
    expect(publishedBefore).toContain(kid); // the new signing key was already in the JWKS
    const after = await issueAccessToken(user, { signer: signing.signer, clock, settings });
    expect(JSON.parse(Buffer.from(after.token.split('.')[0]!, 'base64url').toString()).kid).toBe(kid);

    // The verifier has the promoted key already: it was published (and cached) as the next key.
    await expect(verifyAccessToken(after.token, { verificationKeys: verifying.verificationKeys, clock, settings })).resolves.toBeTruthy();
    await expect(verifyAccessToken(before.token, { verificationKeys: verifying.verificationKeys, clock, settings })).resolves.toBeTruthy();
    expect((await signing.verificationKeys.publicJwks()).map((k) => k.kid).sort()).toEqual([kid, nextKid, retiredKid].sort());
  });

  it('refuses a rotation that lost a race instead of leaving two current keys', async () => {
    const tableName = await freshTable();
    const a = testDependencies(undefined, { TABLE_NAME: tableName });
    const b = testDependencies(undefined, { TABLE_NAME: tableName });
    await a.signer.signingKey();
    const results = await Promise.allSettled([a.signer.rotate(), b.signer.rotate()]);
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won.length).toBeGreaterThanOrEqual(1);
    const { Items = [] } = await a.db.send(
      new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'SIGNING_KEYS' } }),
    );
    const current = Items.filter((item) => item.sk.startsWith('KEY#') && item.status === 'current');
    const pointer = Items.find((item) => item.sk === 'CURRENT');
    expect(current).toHaveLength(1);
    expect(pointer?.kid).toBe(current[0]!.kid);
  });
});

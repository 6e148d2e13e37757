// Signing keys under KMS, against the test stack's local KMS endpoint and DynamoDB Local: keys are
// stored wrapped (a KMS envelope per key, context service/stage/kid), a tampered context is
// refused, a verify-only dependency set has no KMS client and never reads a sealed half, each key
// is decrypted once per instance, rotation refuses (changing nothing) what it cannot decrypt, and
// `keys migrate` moves a KEY_ENCRYPTION_SECRET key set, interrupted halfway and resumed, losing nothing.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DecryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import { describe, expect, inject, it } from 'vitest';
import { AdminError } from '../../lib/admin/errors.ts';
import { migrateSigningKeys } from '../../lib/admin/key-migration.ts';
import { answerCustomResource } from '../../lib/aws/custom-resource.ts';
import { kmsClientsBuilt, kmsDataKeys } from '../../lib/aws/kms.ts';
import { loadConfig } from '../../lib/config/all.ts';
import type { DataKeys, SigningKeyStore, StoredKey } from '../../lib/domain/signing-key.ts';
import type { User } from '../../lib/domain/user.ts';
import { signingKeyStore } from '../../lib/store/signing-keys.ts';
import { issueAccessToken, verifyAccessToken } from '../../lib/tokens/access-tokens.ts';
import { createKeyEnvelope } from '../../lib/tokens/key-envelope.ts';
import { encryptPrivateKey } from '../../lib/tokens/legacy-key-encryption.ts';
import { KeyUnavailableError } from '../../lib/tokens/signer.ts';
import { buildAuthorizerDependencies } from '../../lib/wiring/authorizer.ts';
import { buildDependencies } from '../../lib/wiring/dependencies.ts';
import { testClock } from '../support/clock.ts';
import { freshTable, stackEnv, testDependencies } from '../support/deps.ts';

const user = { id: 'u1', username: 'jane', email: 'jane@example.com', emailVerified: false, permissions: [] } as unknown as User;

async function storedKeys(tableName: string): Promise<Record<string, any>[]> {
  const deps = testDependencies(undefined, { TABLE_NAME: tableName });
  const { Items = [] } = await deps.db.send(
    new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'SIGNING_KEYS' } }),
  );
  return Items.filter((item) => String(item.sk).startsWith('KEY#'));
}

function sdk(): KMSClient {
  return new KMSClient({ region: 'us-east-1', endpoint: inject('kmsEndpoint'), credentials: { accessKeyId: 'l', secretAccessKey: 'l' }, maxAttempts: 1 });
}

describe('signing keys in KMS envelopes', () => {
  it('stores each private key wrapped: AES-GCM under a data key whose KMS context names service, stage and kid', async () => {
    const tableName = await freshTable();
    await testDependencies(undefined, { TABLE_NAME: tableName }).signer.signingKey();
    const keys = await storedKeys(tableName);
    expect(keys).toHaveLength(2);
    const kms = sdk();
    try {
      for (const key of keys) {
        expect(key.encryptedPrivateJwk).toMatch(/^kms1\./);
        expect(JSON.stringify(key)).not.toMatch(/"d":/);
        const blob = Buffer.from(key.wrappedDataKey, 'base64');
        const context = { service: 'auth-service', stage: 'local', kid: key.kid };
        const { Plaintext } = await kms.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: context }));
        expect(Plaintext).toHaveLength(32);
        // The context is bound: another kid (the other key's), stage or service is refused by KMS itself.
        const other = keys.find((k) => k.kid !== key.kid)!.kid;
        for (const wrong of [
          { ...context, kid: other },
          { ...context, stage: 'prod' },
          { ...context, service: 'another' },
        ]) {
          await expect(kms.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: wrong }))).rejects.toMatchObject({
            name: 'InvalidCiphertextException',
          });
        }
      }
    } finally {
      kms.destroy();
    }
  });

  it('refuses to sign with a key whose envelope was moved onto another key, or under another stage', async () => {
    const tableName = await freshTable();
    const deps = testDependencies(undefined, { TABLE_NAME: tableName });
    const { kid } = await deps.signer.signingKey();
    const store = signingKeyStore(deps.db, tableName);
    const set = await store.load();
    const next = (await store.sealedPrivateKey(set.nextKid!))!;
    const current = (await store.sealedPrivateKey(kid))!;
    // The next key's sealed half copied onto the current key's item.
    expect(await store.reseal(kid, current.encryptedPrivateJwk, next as Required<typeof next>)).toBe(true);
    await expect(testDependencies(undefined, { TABLE_NAME: tableName }).signer.signingKey()).rejects.toThrow(/InvalidCiphertextException/);
    expect(await store.reseal(kid, next.encryptedPrivateJwk, current as Required<typeof current>)).toBe(true);
    await expect(testDependencies(undefined, { TABLE_NAME: tableName, KEY_CONTEXT_STAGE: 'prod' }).signer.signingKey()).rejects.toBeInstanceOf(
      KeyUnavailableError,
    );
    await expect(testDependencies(undefined, { TABLE_NAME: tableName }).signer.signingKey()).resolves.toMatchObject({ kid });
  });

  it('decrypts each key once per instance, however many tokens it signs', async () => {
    const tableName = await freshTable();
    const config = loadConfig(stackEnv({ TABLE_NAME: tableName }));
    const real = kmsDataKeys(config);
    let decrypts = 0;
    const counting: DataKeys = {
      generate: (context) => real.generate(context),
      decrypt: (blob, context) => {
        decrypts += 1;
        return real.decrypt(blob, context);
      },
    };
    const clock = testClock();
    const deps = buildDependencies(config, clock, undefined, undefined, counting);
    const settings = deps.accessTokens;
    await Promise.all(Array.from({ length: 5 }, () => issueAccessToken(user, { signer: deps.signer, clock, settings })));
    await issueAccessToken(user, { signer: deps.signer, clock, settings });
    expect(decrypts).toBe(1);
  });

  it('a verify-only dependency set has no KMS client and reads no sealed half, yet verifies', async () => {
    const tableName = await freshTable();
    const signing = testDependencies(undefined, { TABLE_NAME: tableName });
    const clock = testClock();
    const { token } = await issueAccessToken(user, { signer: signing.signer, clock, settings: signing.accessTokens });

    const before = kmsClientsBuilt();
    const verifying = testDependencies(clock, { TABLE_NAME: tableName });
    await expect(verifyAccessToken(token, { verificationKeys: verifying.verificationKeys, clock, settings: verifying.accessTokens })).resolves.toBeTruthy();
    const set = await verifying.verificationKeys.keySets.reload();
    for (const key of set.keys) {
      expect(key).not.toHaveProperty('encryptedPrivateJwk');
      expect(key).not.toHaveProperty('wrappedDataKey');
    }
    expect(kmsClientsBuilt()).toBe(before);
    // The authorizer's set has neither a signer nor a way to build one.
    const authorizer = buildAuthorizerDependencies(verifying.config, clock);
    expect(Object.keys(authorizer).sort()).toEqual(['config', 'tokenChecker']);
    expect(kmsClientsBuilt()).toBe(before);
  });
});

describe('rotation', () => {
  it('refuses to rotate what it cannot decrypt, changes nothing, and rotates once it can', async () => {
    const tableName = await freshTable();
    const deps = testDependencies(undefined, { TABLE_NAME: tableName });
    const first = await deps.signer.ensureKeys();
    expect(first.created).toBe(true);
    const store = signingKeyStore(deps.db, tableName);
    const before = await store.loadSealed();
    const elsewhere = testDependencies(undefined, { TABLE_NAME: tableName, KEY_CONTEXT_STAGE: 'elsewhere' });
    await expect(elsewhere.signer.rotate()).rejects.toThrow(/Signing key .* cannot be decrypted \(InvalidCiphertextException.*nothing was changed/);
    await expect(elsewhere.signer.ensureKeys()).rejects.toBeInstanceOf(KeyUnavailableError);
    expect(await store.loadSealed()).toEqual(before);
    // Idempotent: the keys exist, so nothing new is made.
    expect(await deps.signer.ensureKeys()).toEqual({ kid: first.kid, nextKid: first.nextKid, created: false });
    await expect(deps.signer.rotate()).resolves.toMatchObject({ kid: first.nextKid, retiredKid: first.kid });
  });
});

describe('keys migrate', () => {
  /** A key set as deployments before KMS made it: v1 ciphertexts under KEY_ENCRYPTION_SECRET, no wrapped data key. */
  async function legacyKeySet(store: SigningKeyStore, secret: string): Promise<Map<string, string>> {
    const plaintexts = new Map<string, string>();
    const make = async (status: StoredKey['status']): Promise<StoredKey> => {
      const { publicKey, privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
      const publicJwk = await exportJWK(publicKey);
      const kid = await calculateJwkThumbprint(publicJwk);
      const plaintext = JSON.stringify(await exportJWK(privateKey));
      plaintexts.set(kid, plaintext);
      return {
        kid,
        alg: 'RS256',
        publicJwk: { ...publicJwk, kid, alg: 'RS256', use: 'sig' },
        encryptedPrivateJwk: encryptPrivateKey(plaintext, kid, secret),
        createdAt: 1,
        status,
      };
    };
    expect(await store.createFirst(await make('current'), await make('next'))).toBe(true);
    return plaintexts;
  }

  it('re-wraps a secret-encrypted key set: dry run first, a wrong secret refused, interrupted halfway and resumed, nothing lost', async () => {
    const tableName = await freshTable();
    const deps = testDependencies(undefined, { TABLE_NAME: tableName });
    const store = signingKeyStore(deps.db, tableName);
    const secret = randomBytes(32).toString('base64url');
    const plaintexts = await legacyKeySet(store, secret);
    const envelope = createKeyEnvelope(kmsDataKeys(deps.config), deps.config.keyContext);
    const original = await store.loadSealed();
    // Before the migration the signer cannot use the old keys, and says what to do.
    await expect(deps.signer.signingKey()).rejects.toThrow(/keys migrate/);

    const dry = await migrateSigningKeys({ store, envelope, legacySecret: secret }, { dryRun: true });
    expect(dry.map((o) => o.outcome)).toEqual(['would-migrate', 'would-migrate']);
    expect(await store.loadSealed()).toEqual(original);
    await expect(migrateSigningKeys({ store, envelope, legacySecret: 'w'.repeat(40) }, { dryRun: false })).rejects.toBeInstanceOf(AdminError);
    await expect(migrateSigningKeys({ store, envelope, legacySecret: undefined }, { dryRun: false })).rejects.toThrow(/KEY_ENCRYPTION_SECRET/);
    expect(await store.loadSealed()).toEqual(original);

    // Interrupted: the second write fails (a crash, a lost connection) after the first succeeded.
    let writes = 0;
    const failing: SigningKeyStore = {
      ...store,
      reseal: async (...args) => {
        writes += 1;
        if (writes === 2) throw new Error('injected: the process died here');
        return store.reseal(...args);
      },
    };
    await expect(migrateSigningKeys({ store: failing, envelope, legacySecret: secret }, { dryRun: false })).rejects.toThrow(/injected/);
    const halfway = await store.loadSealed();
    expect(halfway.map((k) => k.encryptedPrivateJwk.split('.')[0]).sort()).toEqual(['kms1', 'v1']);

    const resumed = await migrateSigningKeys({ store, envelope, legacySecret: secret }, { dryRun: false });
    expect(resumed.map((o) => o.outcome).sort()).toEqual(['already-kms', 'migrated']);
    const again = await migrateSigningKeys({ store, envelope, legacySecret: undefined }, { dryRun: false });
    expect(again.map((o) => o.outcome)).toEqual(['already-kms', 'already-kms']);

    // Nothing lost: every key opens to exactly its old private JWK, and the public parts are unchanged.
    const migrated = await store.loadSealed();
    for (const key of migrated) {
      expect(await envelope.open(key, key.kid)).toBe(plaintexts.get(key.kid));
      const { encryptedPrivateJwk: _e, wrappedDataKey: _w, ...publicPart } = key;
      const { encryptedPrivateJwk: _oe, ...originalPublic } = original.find((k) => k.kid === key.kid)!;
      expect(publicPart).toEqual(originalPublic);
    }
    const clock = testClock();
    const signer = testDependencies(clock, { TABLE_NAME: tableName });
    const { token } = await issueAccessToken(user, { signer: signer.signer, clock, settings: signer.accessTokens });
    await expect(verifyAccessToken(token, { verificationKeys: signer.verificationKeys, clock, settings: signer.accessTokens })).resolves.toBeTruthy();
  });
});

describe('the custom resource answer', () => {
  it('PUTs CloudFormation its JSON with an empty Content-Type, as the pre-signed URL expects', async () => {
    const received: { headers: IncomingMessage['headers']; body: string; method?: string }[] = [];
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, body, method: request.method });
        response.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/bucket/key?X-Amz-Signature=abc`;
      const event = {
        RequestType: 'Create',
        ResponseURL: url,
        StackId: 's',
        RequestId: 'r',
        LogicalResourceId: 'SigningKeys',
        ResourceType: 'Custom::SigningKeys',
      } as const;
      await answerCustomResource(event, { status: 'SUCCESS', physicalResourceId: 'p', data: { Kid: 'k' } });
      expect(received).toHaveLength(1);
      expect(received[0]!.method).toBe('PUT');
      expect(received[0]!.headers['content-type']).toBe('');
      expect(JSON.parse(received[0]!.body)).toEqual({
        Status: 'SUCCESS',
        Reason: 'SUCCESS',
        PhysicalResourceId: 'p',
        StackId: 's',
        RequestId: 'r',
        LogicalResourceId: 'SigningKeys',
        NoEcho: false,
        Data: { Kid: 'k' },
      });
    } finally {
      server.close();
    }
  });
});

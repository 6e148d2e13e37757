// The local KMS endpoint (scripts/local-kms/) against the real @aws-sdk/client-kms: the SDK's own
// requests and response parsing (JSON 1.1, base64 blobs, errors by `__type`), a wrong encryption
// context refused with KMS's InvalidCiphertextException, and keys kept in its data directory.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalKms, startLocalKms } from '../../scripts/local-kms/server.ts';

const ALIAS = 'alias/kms-test';
const context = { service: 'auth-service', stage: 'test', kid: 'k1' };
let dataDir: string;
let kms: LocalKms;
let client: KMSClient;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'local-kms-test-'));
  kms = await startLocalKms({ port: 0, dataDir, aliases: [ALIAS] });
  client = new KMSClient({ region: 'us-east-1', endpoint: kms.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
});

afterAll(async () => {
  client?.destroy();
  await kms?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the local KMS endpoint, through the real SDK', () => {
  it('generates a 256-bit data key and decrypts its wrapped form with the same context', async () => {
    const generated = await client.send(new GenerateDataKeyCommand({ KeyId: ALIAS, KeySpec: 'AES_256', EncryptionContext: context }));
    expect(generated.Plaintext).toHaveLength(32);
    expect(generated.KeyId).toBe(kms.keyArns[ALIAS]);
    expect(Buffer.from(generated.CiphertextBlob!).includes(Buffer.from(generated.Plaintext!))).toBe(false);

    // Pairs in another order are the same context, as KMS treats them.
    const reordered = { kid: 'k1', stage: 'test', service: 'auth-service' };
    const decrypted = await client.send(new DecryptCommand({ CiphertextBlob: generated.CiphertextBlob, EncryptionContext: reordered, KeyId: ALIAS }));
    expect(Buffer.from(decrypted.Plaintext!).equals(Buffer.from(generated.Plaintext!))).toBe(true);
    expect(decrypted).toMatchObject({ KeyId: kms.keyArns[ALIAS], EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
  });

  it.each([
    ['another kid', { ...context, kid: 'k2' }],
    ['another stage', { ...context, stage: 'prod' }],
    ['no context', undefined],
    ['an extra pair', { ...context, extra: 'x' }],
  ])('refuses %s with InvalidCiphertextException (HTTP 400)', async (_, wrong) => {
    const { CiphertextBlob } = await client.send(new GenerateDataKeyCommand({ KeyId: ALIAS, KeySpec: 'AES_256', EncryptionContext: context }));
    const failure = await client.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: wrong })).catch((error: unknown) => error);
    expect(failure).toMatchObject({ name: 'InvalidCiphertextException', $metadata: { httpStatusCode: 400 } });
  });

  it('refuses a tampered blob, an unknown key and a blob of another key with the errors KMS uses', async () => {
    const { CiphertextBlob } = await client.send(new GenerateDataKeyCommand({ KeyId: ALIAS, KeySpec: 'AES_256', EncryptionContext: context }));
    const tampered = Buffer.from(CiphertextBlob!);
    tampered[tampered.length - 1]! ^= 1;
    await expect(client.send(new DecryptCommand({ CiphertextBlob: tampered, EncryptionContext: context }))).rejects.toMatchObject({
      name: 'InvalidCiphertextException',
    });
    await expect(client.send(new GenerateDataKeyCommand({ KeyId: 'alias/none', KeySpec: 'AES_256' }))).rejects.toMatchObject({ name: 'NotFoundException' });
    const other = await startLocalKms({ port: 0, aliases: ['alias/other'] });
    try {
      await expect(client.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: context, KeyId: 'alias/none' }))).rejects.toMatchObject({
        name: 'IncorrectKeyException',
      });
    } finally {
      await other.close();
    }
  });

  it('keeps its key in the data directory (owner-only), so a restart still decrypts', async () => {
    const { CiphertextBlob, Plaintext } = await client.send(new GenerateDataKeyCommand({ KeyId: ALIAS, KeySpec: 'AES_256', EncryptionContext: context }));
    expect(statSync(join(dataDir, 'keys.json')).mode & 0o777).toBe(0o600);
    const again = await startLocalKms({ port: 0, dataDir, aliases: [ALIAS] });
    const restarted = new KMSClient({ region: 'us-east-1', endpoint: again.endpoint, credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
    try {
      expect(again.keyArns[ALIAS]).toBe(kms.keyArns[ALIAS]);
      const { Plaintext: opened } = await restarted.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: context }));
      expect(Buffer.from(opened!).equals(Buffer.from(Plaintext!))).toBe(true);
    } finally {
      restarted.destroy();
      await again.close();
    }
  });
});

// The one place that talks to AWS KMS: data keys for the envelope encryption of signing keys
// (lib/tokens/key-envelope.ts). The SDK module is imported at the first call, not at load, so a
// function that never signs (the authorizer, /me, the JWKS, introspection) never loads it, and one
// that signs pays for it once, at its first Decrypt (bench/, the KMS row). Locally KMS_ENDPOINT
// points at the hand-written endpoint of scripts/local-kms/ with dummy credentials, as
// DYNAMODB_ENDPOINT points at DynamoDB Local.
import type { DataKeys } from '../domain/signing-key.ts';
import { convertingFailures } from './dependency-failures.ts';

/** Where KMS is and which key wraps the data keys. */
export interface KmsLocation {
  region: string;
  kmsEndpoint?: string | undefined;
  /** A key id, key ARN, alias name or alias ARN; GenerateDataKey needs it, Decrypt pins it. */
  kmsKeyId?: string | undefined;
}

let clientsBuilt = 0;

/** How many KMS clients this process has built: a verify-only dependency set must leave it at 0 (tests). */
export function kmsClientsBuilt(): number {
  return clientsBuilt;
}

/** KMS answers in milliseconds; a Decrypt that takes seconds is not coming (per attempt). */
const KMS_TIMEOUTS = { connectionTimeout: 1_000, requestTimeout: 3_000, throwOnRequestTimeout: true } as const;

/** Data keys from KMS; the client is built at the first call and kept for the instance's life. */
export function kmsDataKeys(location: KmsLocation): DataKeys {
  type Sdk = typeof import('@aws-sdk/client-kms');
  let built: Promise<{ sdk: Sdk; client: InstanceType<Sdk['KMSClient']> }> | undefined;
  const client = () =>
    (built ??= import('@aws-sdk/client-kms').then((sdk) => {
      clientsBuilt += 1;
      const local = location.kmsEndpoint ? { endpoint: location.kmsEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {};
      return { sdk, client: new sdk.KMSClient({ region: location.region, maxAttempts: 3, requestHandler: { ...KMS_TIMEOUTS }, ...local }) };
    }));
  const keyId = (): string => {
    if (!location.kmsKeyId) throw new Error('KMS_KEY_ID is not set: signing keys are wrapped under that KMS key');
    return location.kmsKeyId;
  };

  return {
    async generate(context) {
      const { sdk, client: kms } = await client();
      const output = await convertingFailures(() =>
        kms.send(new sdk.GenerateDataKeyCommand({ KeyId: keyId(), KeySpec: 'AES_256', EncryptionContext: context })),
      );
      if (!output.Plaintext || !output.CiphertextBlob) throw new Error('KMS GenerateDataKey returned no data key');
      return { plaintext: output.Plaintext, wrapped: output.CiphertextBlob };
    },

    async decrypt(wrapped, context) {
      const { sdk, client: kms } = await client();
      // The key id pins the KMS key: a blob wrapped under any other key is refused (IncorrectKeyException).
      const output = await convertingFailures(() =>
        kms.send(new sdk.DecryptCommand({ CiphertextBlob: wrapped, EncryptionContext: context, ...(location.kmsKeyId ? { KeyId: location.kmsKeyId } : {}) })),
      );
      if (!output.Plaintext) throw new Error('KMS Decrypt returned no plaintext');
      return output.Plaintext;
    },
  };
}

// Configuration of KMS, which wraps the data keys that seal the private signing keys: the key, the
// endpoint (locally), and the service and stage names bound into every key's encryption context.
// Only functions that sign read this section (lib/wiring/dependencies.ts builds the signer lazily).
import { text } from '../kinds.ts';
import { defineSection, type Env, variable } from '../section.ts';

export const kmsSection = defineSection({
  name: 'kms',
  variables: {
    kmsKeyId: variable('KMS_KEY_ID', {
      kind: text('a KMS key id, key ARN, alias name (`alias/...`) or alias ARN'),
      fallback: undefined as string | undefined,
      defaultText: 'none: the stack sets it to its own key; `npm start` to `alias/auth-service-local`',
      description: 'the customer-managed KMS key that wraps the data keys of the signing keys; needed by functions that sign',
    }),
    kmsEndpoint: variable('KMS_ENDPOINT', {
      kind: text('a URL'),
      fallback: undefined as string | undefined,
      defaultText: 'empty (AWS)',
      description: 'KMS endpoint override; `npm start` points it at the local KMS endpoint (scripts/local-kms/)',
    }),
    keyContextService: variable('KEY_CONTEXT_SERVICE', {
      kind: text('a name'),
      fallback: 'auth-service',
      defaultText: '`auth-service` (serverless.yml: the service name)',
      description: "the `service` of every signing key's KMS encryption context; the IAM conditions name it",
    }),
    keyContextStage: variable('KEY_CONTEXT_STAGE', {
      kind: text('a name'),
      fallback: 'local',
      defaultText: '`local` (serverless.yml: the stage)',
      description: "the `stage` of every signing key's KMS encryption context; the IAM conditions name it",
    }),
  },
  shape: (values) => values,
});

export type KmsConfig = ReturnType<typeof kmsSection.read>;
export const KMS_VARIABLES = kmsSection.variableNames;

/** The KMS key, endpoint and encryption-context names, read once per environment. */
export const kmsConfig = (env: Env = process.env): KmsConfig => kmsSection.read(env);

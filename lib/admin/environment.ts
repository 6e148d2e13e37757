// Which table (and KMS key) the admin CLI works on, as the environment that lib/config/ reads. By
// default the local stack of `npm start` (table auth-service-local, the local KMS endpoint);
// with --stage, a deployment: table auth-service-<stage> (serverless.yml custom.tableName) and KMS
// key alias/auth-service-<stage> unless TABLE_NAME / KMS_KEY_ID say otherwise, with the usual AWS
// credentials and region. Only the key commands reach KMS; only `keys migrate` reads
// KEY_ENCRYPTION_SECRET (the secret of deployments made before KMS).

import type { Signer } from '../tokens/signer.ts';
import type { Dependencies } from '../use-cases/dependencies.ts';
import { AdminError, UsageError } from './errors.ts';

type Env = Record<string, string | undefined>;

/** What a command does with the signing keys: nothing, sign/rotate through KMS, or re-wrap old keys too. */
export type KeyAccess = 'none' | 'kms' | 'migrate';

export interface TargetOptions {
  /** The deployment stage; undefined means the local stack. */
  stage: string | undefined;
  keyAccess: KeyAccess;
  env: Env;
  local: { tableName: string; kmsKeyId: string; legacySecret: () => string | undefined };
  /** The region when the environment names none (the SDK's profile chain). */
  defaultRegion: () => Promise<string | undefined>;
}

export interface Target {
  /** The environment to hand to loadConfig(). */
  env: Env;
  /** One line for the operator: where the command acts. */
  description: string;
}

/** Serverless stage names: letters, digits and hyphens. */
const STAGE = /^[A-Za-z0-9-]{1,64}$/;
/** serverless.yml's service name: the KMS alias and the encryption context use it. */
const SERVICE = 'auth-service';

export async function adminTarget(options: TargetOptions): Promise<Target> {
  const { stage, env, keyAccess } = options;
  const given = env.KEY_ENCRYPTION_SECRET?.trim();
  // Nothing reads the secret unless the command is `keys migrate`: it is not even passed on.
  const { KEY_ENCRYPTION_SECRET: _secret, ...rest } = env;
  if (stage === undefined) {
    const local = {
      TABLE_NAME: options.local.tableName,
      DYNAMODB_ENDPOINT: `http://127.0.0.1:${env.DYNAMODB_PORT || 8000}`,
      KMS_ENDPOINT: `http://127.0.0.1:${env.KMS_PORT || 8006}`,
      KMS_KEY_ID: options.local.kmsKeyId,
      PUBLIC_URL: `http://localhost:${env.PORT || 3000}`,
      ...rest,
    };
    const secret = keyAccess === 'migrate' ? given || options.local.legacySecret() : undefined;
    return {
      env: { ...local, ...(secret ? { KEY_ENCRYPTION_SECRET: secret } : {}) },
      description: `table ${local.TABLE_NAME} at ${local.DYNAMODB_ENDPOINT}`,
    };
  }

  if (!STAGE.test(stage)) throw new UsageError(`"${stage}" is not a stage name (letters, digits and hyphens).`);
  if (keyAccess === 'migrate' && !given) {
    throw new AdminError(`Migrating the keys of stage "${stage}" needs KEY_ENCRYPTION_SECRET: the secret the stage was deployed with.`);
  }
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || (await options.defaultRegion());
  if (!region) throw new AdminError(`No AWS region for stage "${stage}": set AWS_REGION, or a region in your AWS profile.`);
  const tableName = env.TABLE_NAME || `${SERVICE}-${stage}`;
  return {
    env: {
      ...rest,
      TABLE_NAME: tableName,
      AWS_REGION: region,
      // Only the issuer of tokens depends on it, and admin commands sign none.
      PUBLIC_URL: env.PUBLIC_URL || 'https://admin-cli.invalid',
      // The stack's key and the context its functions use (serverless.yml: service and stage).
      KMS_KEY_ID: env.KMS_KEY_ID || `alias/${SERVICE}-${stage}`,
      KEY_CONTEXT_SERVICE: env.KEY_CONTEXT_SERVICE || SERVICE,
      KEY_CONTEXT_STAGE: env.KEY_CONTEXT_STAGE || stage,
      ...(keyAccess === 'migrate' ? { KEY_ENCRYPTION_SECRET: given } : {}),
    },
    description: `stage ${stage}: table ${tableName} in ${region}${env.DYNAMODB_ENDPOINT ? ` at ${env.DYNAMODB_ENDPOINT}` : ''}`,
  };
}

/**
 * The dependencies of a command that does not handle keys: any use of the signer (the only path
 * to KMS) fails loudly, so an account command can never create or touch a signing key. The
 * verification keys stay: they read public parts only.
 */
export function withoutKeys(deps: Dependencies): Dependencies {
  const refuse = (): never => {
    throw new AdminError('This command does not handle signing keys, so it may not touch them.');
  };
  const signer: Signer = { signingKey: refuse, rotate: refuse, ensureKeys: refuse };
  return { ...deps, signer };
}

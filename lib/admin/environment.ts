// Which table the admin CLI works on, as the environment that lib/config/ reads. By default the
// local stack of `npm start` (the defaults of scripts/rotate-keys.ts); with --stage, a deployment:
// table auth-service-<stage> (serverless.yml custom.tableName) unless TABLE_NAME says otherwise,
// with the usual AWS credentials and region. Only rotating keys needs KEY_ENCRYPTION_SECRET.

import type { Signer } from '../tokens/signer.ts';
import type { Dependencies } from '../use-cases/dependencies.ts';
import { AdminError, UsageError } from './errors.ts';

type Env = Record<string, string | undefined>;

export interface TargetOptions {
  /** The deployment stage; undefined means the local stack. */
  stage: string | undefined;
  /** Whether the command handles signing keys and so needs the real KEY_ENCRYPTION_SECRET. */
  needsKeySecret: boolean;
  env: Env;
  local: { tableName: string; keyEncryptionSecret: () => string };
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
/** Satisfies loadConfig for commands that never sign or decrypt anything; see withoutKeys(). */
const UNUSED_SECRET = 'unused-by-this-admin-command-0000000000';

export async function adminTarget(options: TargetOptions): Promise<Target> {
  const { stage, env } = options;
  const given = env.KEY_ENCRYPTION_SECRET?.trim();
  if (stage === undefined) {
    const local = {
      TABLE_NAME: options.local.tableName,
      DYNAMODB_ENDPOINT: `http://127.0.0.1:${env.DYNAMODB_PORT || 8000}`,
      PUBLIC_URL: `http://localhost:${env.PORT || 3000}`,
      ...env,
    };
    const secret = options.needsKeySecret ? given || options.local.keyEncryptionSecret() : given || UNUSED_SECRET;
    return { env: { ...local, KEY_ENCRYPTION_SECRET: secret }, description: `table ${local.TABLE_NAME} at ${local.DYNAMODB_ENDPOINT}` };
  }

  if (!STAGE.test(stage)) throw new UsageError(`"${stage}" is not a stage name (letters, digits and hyphens).`);
  if (options.needsKeySecret && !given) {
    throw new AdminError(`Rotating the keys of stage "${stage}" needs KEY_ENCRYPTION_SECRET: the secret the stage was deployed with.`);
  }
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || (await options.defaultRegion());
  if (!region) throw new AdminError(`No AWS region for stage "${stage}": set AWS_REGION, or a region in your AWS profile.`);
  const tableName = env.TABLE_NAME || `auth-service-${stage}`;
  return {
    env: {
      ...env,
      TABLE_NAME: tableName,
      AWS_REGION: region,
      // Only the issuer of tokens depends on it, and admin commands sign none.
      PUBLIC_URL: env.PUBLIC_URL || 'https://admin-cli.invalid',
      KEY_ENCRYPTION_SECRET: given || UNUSED_SECRET,
    },
    description: `stage ${stage}: table ${tableName} in ${region}${env.DYNAMODB_ENDPOINT ? ` at ${env.DYNAMODB_ENDPOINT}` : ''}`,
  };
}

/**
 * The dependencies of a command that has no KEY_ENCRYPTION_SECRET: any use of the signer (the only
 * holder of the secret) fails loudly, so no key can ever be created or re-encrypted with the
 * placeholder secret. The verification keys stay: they never see the secret.
 */
export function withoutKeys(deps: Dependencies): Dependencies {
  const refuse = (): never => {
    throw new AdminError('This command has no KEY_ENCRYPTION_SECRET, so it may not touch the signing keys.');
  };
  const signer: Signer = { signingKey: refuse, rotate: refuse };
  return { ...deps, signer };
}

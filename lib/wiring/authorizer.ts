// The Lambda authorizer's dependencies: the configuration and the token checker, nothing else.
// The checker is the one every function uses (lib/auth/token-checker.ts, with the read code of
// lib/store/token-reads.ts); only its DynamoDB client differs. The authorizer runs before every
// protected request of every API that trusts this service, so its cold start matters most, and
// loading the AWS SDK alone costs ~90 ms of it: here DynamoDB is reached through the light client
// (lib/aws/light-dynamodb/) instead. Nothing here may import the SDK, lib/wiring/dependencies.ts included.
import { createTokenChecker, type TokenChecker } from '../auth/token-checker.ts';
import type { DynamoDbReader } from '../aws/dynamodb-reader.ts';
import { createLightDynamoDb } from '../aws/light-dynamodb/document-reader.ts';
import { type Config, getConfig } from '../config/all.ts';
import { apiTokenReads, signingKeyReads, tokenStateReads } from '../store/token-reads.ts';
import { type Clock, systemClock } from '../support/clock.ts';
import { createVerificationKeys } from '../tokens/verification-keys.ts';
import { accessTokenSettings, serviceTokenSettings } from './token-settings.ts';

export interface AuthorizerDependencies {
  config: Config;
  tokenChecker: TokenChecker;
}

/** The authorizer's checker: public keys only, on the light client, with the token settings every function uses (./token-settings.ts). */
export function buildAuthorizerDependencies(
  config: Config,
  clock: Clock = systemClock,
  reader: DynamoDbReader = createLightDynamoDb(config),
): AuthorizerDependencies {
  // Public keys only, from a read-only port that reads no sealed private half: no KMS client, no signer.
  const verificationKeys = createVerificationKeys({ reads: signingKeyReads(reader, config.tableName), clock, cacheSeconds: config.keyCacheSeconds });
  return {
    config,
    tokenChecker: createTokenChecker({
      verificationKeys,
      clock,
      revocations: tokenStateReads(reader, config.tableName),
      apiTokens: apiTokenReads(reader, config.tableName),
      accessTokens: accessTokenSettings(config),
      serviceTokens: serviceTokenSettings(config),
      services: config.services,
    }),
  };
}

let instance: AuthorizerDependencies | undefined;

/** Built once per Lambda instance, so the key and revocation caches and the connection are shared across invocations. */
export function authorizerDependencies(): AuthorizerDependencies {
  instance ??= buildAuthorizerDependencies(getConfig());
  return instance;
}

// The dependencies every Lambda shares, built once per instance (at first use) and passed to the
// use cases. Tests build their own with buildDependencies() and a fixed clock.
import { createTokenChecker, type TokenChecker } from './auth/token-checker.ts';
import { systemClock, type Clock } from './support/clock.ts';
import { getConfig, type Config } from './config.ts';
import { apiTokenStore, type ApiTokenStore } from './store/api-tokens.ts';
import { sesMailer, type Mailer } from './mail/mailer.ts';
import { createDb, type Db } from './store/client.ts';
import { oneTimeTokenStore, type OneTimeTokenStore } from './store/one-time-tokens.ts';
import { revocationStore, type RevocationStore } from './store/revocations.ts';
import { sessionStore, type SessionStore } from './store/sessions.ts';
import { signingKeyStore } from './store/signing-keys.ts';
import { throttleStore, type ThrottleStore } from './store/throttles.ts';
import { userStore, type UserStore } from './store/users.ts';
import type { AccessTokenSettings } from './tokens/access-tokens.ts';
import type { ServiceTokenSettings } from './tokens/service-tokens.ts';
import { createSigner, type Signer } from './tokens/signer.ts';
import { createVerificationKeys, type VerificationKeys } from './tokens/verification-keys.ts';

export interface Dependencies {
  config: Config;
  clock: Clock;
  db: Db;
  users: UserStore;
  sessions: SessionStore;
  revocations: RevocationStore;
  apiTokens: ApiTokenStore;
  oneTimeTokens: OneTimeTokenStore;
  throttles: ThrottleStore;
  mailer: Mailer;
  /** Public keys: verifying tokens and publishing the JWKS. */
  verificationKeys: VerificationKeys;
  /** Private keys (holds KEY_ENCRYPTION_SECRET): signing and rotating. */
  signer: Signer;
  accessTokens: AccessTokenSettings;
  serviceTokens: ServiceTokenSettings;
  tokenChecker: TokenChecker;
}

export function buildDependencies(
  config: Config,
  clock: Clock = systemClock,
  db: Db = createDb(config),
  mailer: Mailer = sesMailer(config),
): Dependencies {
  const signingKeys = signingKeyStore(db, config.tableName);
  const verificationKeys = createVerificationKeys({ reads: signingKeys, clock, cacheSeconds: config.keyCacheSeconds });
  const signer = createSigner({
    store: signingKeys,
    clock,
    encryptionSecret: config.keyEncryptionSecret,
    verificationKeys,
    maxTokenLifetimeSeconds: Math.max(config.accessTokenTtlSeconds, config.serviceTokenTtlSeconds),
  });
  const accessTokens: AccessTokenSettings = {
    issuer: config.issuer,
    audience: config.accessTokenAudience,
    clientId: config.clientId,
    ttlSeconds: config.accessTokenTtlSeconds,
  };
  const serviceTokens: ServiceTokenSettings = {
    issuer: config.issuer,
    clientId: config.clientId,
    ttlSeconds: config.serviceTokenTtlSeconds,
  };
  const revocations = revocationStore(db, config.tableName);
  const apiTokens = apiTokenStore(db, config.tableName);
  return {
    config,
    clock,
    db,
    users: userStore(db, config.tableName),
    sessions: sessionStore(db, config.tableName),
    revocations,
    apiTokens,
    oneTimeTokens: oneTimeTokenStore(db, config.tableName),
    throttles: throttleStore(db, config.tableName),
    mailer,
    verificationKeys,
    signer,
    accessTokens,
    serviceTokens,
    tokenChecker: createTokenChecker({ verificationKeys, clock, revocations, apiTokens, accessTokens, serviceTokens, services: config.services }),
  };
}

let instance: Dependencies | undefined;

/** The instance-wide dependencies: config validated, clients built, key cache shared across invocations. */
export function dependencies(): Dependencies {
  instance ??= buildDependencies(getConfig());
  return instance;
}

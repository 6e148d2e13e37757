// The dependencies every Lambda shares, built once per instance (at first use) and passed to the
// use cases. Tests build their own with buildDependencies() and a fixed clock.
import { createTokenChecker, type TokenChecker } from './auth/token-checker.ts';
import { systemClock, type Clock } from './support/clock.ts';
import { getConfig, type Config } from './config.ts';
import { apiTokenStore } from './store/api-tokens.ts';
import type { ApiTokenStore } from './domain/api-token.ts';
import { sesMailer } from './mail/mailer.ts';
import type { Mailer } from './domain/mail.ts';
import { createDb, type Db } from './store/client.ts';
import { oneTimeTokenStore } from './store/one-time-tokens.ts';
import type { OneTimeTokenStore } from './domain/one-time-token.ts';
import { revocationStore } from './store/revocations.ts';
import type { RevocationStore } from './domain/revocation.ts';
import { sessionStore } from './store/sessions.ts';
import type { SessionStore } from './domain/session.ts';
import { signingKeyStore } from './store/signing-keys.ts';
import { throttleStore } from './store/throttles.ts';
import type { ThrottleStore } from './domain/throttle.ts';
import { userStore } from './store/users.ts';
import type { UserStore } from './domain/user.ts';
import type { AccessTokenSettings } from './tokens/access-tokens.ts';
import { createKeyRing, type KeyRing } from './tokens/key-ring.ts';
import type { ServiceTokenSettings } from './tokens/service-tokens.ts';

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
  keyRing: KeyRing;
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
  const keyRing = createKeyRing({
    store: signingKeyStore(db, config.tableName),
    clock,
    encryptionSecret: config.keyEncryptionSecret,
    cacheSeconds: config.keyCacheSeconds,
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
    keyRing,
    accessTokens,
    serviceTokens,
    tokenChecker: createTokenChecker({ keyRing, clock, revocations, apiTokens, accessTokens, serviceTokens, services: config.services }),
  };
}

let instance: Dependencies | undefined;

/** The instance-wide dependencies: config validated, clients built, key cache shared across invocations. */
export function dependencies(): Dependencies {
  instance ??= buildDependencies(getConfig());
  return instance;
}

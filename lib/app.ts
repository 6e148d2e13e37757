// The dependencies every Lambda shares, built once per instance (at first use) and passed to the
// use cases. Tests build their own with buildDependencies() and a fixed clock.
import { systemClock, type Clock } from './clock.ts';
import { getConfig, type Config } from './config.ts';
import { createDb, type Db } from './store/client.ts';
import { sessionStore, type SessionStore } from './store/sessions.ts';
import { signingKeyStore } from './store/signing-keys.ts';
import { userStore, type UserStore } from './store/users.ts';
import type { AccessTokenSettings } from './tokens/access-tokens.ts';
import { createKeyRing, type KeyRing } from './tokens/key-ring.ts';

export interface Dependencies {
  config: Config;
  clock: Clock;
  db: Db;
  users: UserStore;
  sessions: SessionStore;
  keyRing: KeyRing;
  accessTokens: AccessTokenSettings;
}

export function buildDependencies(config: Config, clock: Clock = systemClock, db: Db = createDb(config)): Dependencies {
  return {
    config,
    clock,
    db,
    users: userStore(db, config.tableName),
    sessions: sessionStore(db, config.tableName),
    keyRing: createKeyRing({
      store: signingKeyStore(db, config.tableName),
      clock,
      encryptionSecret: config.keyEncryptionSecret,
      cacheSeconds: config.keyCacheSeconds,
      maxTokenLifetimeSeconds: config.accessTokenTtlSeconds,
    }),
    accessTokens: {
      issuer: config.issuer,
      audience: config.accessTokenAudience,
      clientId: config.clientId,
      ttlSeconds: config.accessTokenTtlSeconds,
    },
  };
}

let instance: Dependencies | undefined;

/** The instance-wide dependencies: config validated, clients built, key cache shared across invocations. */
export function dependencies(): Dependencies {
  instance ??= buildDependencies(getConfig());
  return instance;
}

// Everything a use case may be given, by role: stores (the ports lib/store implements), the mailer,
// signing keys, token settings and the checker. Use cases take a Pick of it, so a test hands them
// exactly what they use; lib/wiring/ builds the real ones, each at first use.
import type { TokenChecker } from '../auth/token-checker.ts';
import type { Config } from '../config/all.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { ApiTokenStore } from '../store/api-tokens.ts';
import type { Db } from '../store/client.ts';
import type { OneTimeTokenStore } from '../store/one-time-tokens.ts';
import type { RevocationStore } from '../store/revocations.ts';
import type { SessionStore } from '../store/sessions.ts';
import type { ThrottleStore } from '../store/throttles.ts';
import type { UserStore } from '../store/users.ts';
import type { Clock } from '../support/clock.ts';
import type { AccessTokenSettings } from '../tokens/access-tokens.ts';
import type { KeyRing } from '../tokens/key-ring.ts';
import type { ServiceTokenSettings } from '../tokens/service-tokens.ts';

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

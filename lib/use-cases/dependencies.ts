// Everything a use case may be given, by role: stores (the ports lib/store implements), the mailer,
// signing keys, token settings and the checker. Use cases take a Pick of it, so a test hands them
// exactly what they use; lib/wiring/ builds the real ones, each at first use.
import type { TokenChecker } from '../auth/token-checker.ts';
import type { Config } from '../config/all.ts';
import type { AccountDeletionStore } from '../domain/account-deletion.ts';
import type { ApiTokenStore } from '../domain/api-token.ts';
import type { AuthorizationCodeStore } from '../domain/authorization-code.ts';
import type { AuthorizationRequestStore } from '../domain/authorization-request.ts';
import type { BrowserSessionStore } from '../domain/browser-session.ts';
import type { ConsentStore } from '../domain/consent.ts';
import type { EmailChangeStore } from '../domain/email-change.ts';
import type { LegacyLogin } from '../domain/legacy-login.ts';
import type { Mailer } from '../domain/mail.ts';
import type { MailQuotaStore } from '../domain/mail-quota.ts';
import type { MfaChallengeStore, MfaFactorStore, PasskeyStore, WebauthnCeremonyStore } from '../domain/mfa.ts';
import type { OAuthClientStore } from '../domain/oauth-client.ts';
import type { OneTimeTokenStore } from '../domain/one-time-token.ts';
import type { RegistrationTokenStore } from '../domain/registration-token.ts';
import type { RevocationStore } from '../domain/revocation.ts';
import type { SecurityEventStore } from '../domain/security-event.ts';
import type { SessionStore } from '../domain/session.ts';
import type { ThrottleStore } from '../domain/throttle.ts';
import type { UserStore } from '../domain/user.ts';
import type { UserNumberStore } from '../domain/user-number.ts';
import type { Db } from '../store/client.ts';
import type { Clock } from '../support/clock.ts';
import type { AccessTokenSettings } from '../tokens/access-tokens.ts';
import type { ServiceTokenSettings } from '../tokens/service-tokens.ts';
import type { Signer } from '../tokens/signer.ts';
import type { TotpSecrets } from '../tokens/totp-secrets.ts';
import type { VerificationKeys } from '../tokens/verification-keys.ts';

export interface Dependencies {
  config: Config;
  clock: Clock;
  db: Db;
  users: UserStore;
  /** The Django dialects' integer user ids. */
  userNumbers: UserNumberStore;
  sessions: SessionStore;
  revocations: RevocationStore;
  apiTokens: ApiTokenStore;
  oneTimeTokens: OneTimeTokenStore;
  /** Email-change links and their transactions (lib/domain/email-change.ts). */
  emailChanges: EmailChangeStore;
  throttles: ThrottleStore;
  /** Reset and verification mails per address and hour (lib/abuse/mail-quota.ts). */
  mailQuotas: MailQuotaStore;
  mailer: Mailer;
  /** OAuth clients (lib/domain/oauth-client.ts). */
  oauthClients: OAuthClientStore;
  /** Authorization codes (lib/domain/authorization-code.ts). */
  authorizationCodes: AuthorizationCodeStore;
  /** RFC 7591 initial access tokens (lib/domain/registration-token.ts). */
  registrationTokens: RegistrationTokenStore;
  /** Single sign-on sessions of the hosted login page (lib/domain/browser-session.ts). */
  browserSessions: BrowserSessionStore;
  /** Authorization requests waiting for a login or a consent (lib/domain/authorization-request.ts). */
  authorizationRequests: AuthorizationRequestStore;
  /** What users allowed third-party clients (lib/domain/consent.ts). */
  consents: ConsentStore;
  /** TOTP factors, recovery codes and the profile's factor counters (lib/domain/mfa.ts). */
  mfaFactors: MfaFactorStore;
  /** Pending second steps of logins (mfa_tokens). */
  mfaChallenges: MfaChallengeStore;
  passkeys: PasskeyStore;
  /** WebAuthn challenges of passkey registration and passwordless sign-in. */
  webauthnCeremonies: WebauthnCeremonyStore;
  /** The per-user security event log (lib/domain/security-event.ts). */
  securityEvents: SecurityEventStore;
  /** The steps of an account's deletion (lib/domain/account-deletion.ts). */
  accountDeletions: AccountDeletionStore;
  /** TOTP secrets sealed in KMS envelopes (lib/tokens/totp-secrets.ts). */
  totpSecrets: TotpSecrets;
  /** Public keys: verifying tokens and publishing the JWKS. */
  verificationKeys: VerificationKeys;
  /** Private keys (the only holder of KMS access): signing and rotating. */
  signer: Signer;
  accessTokens: AccessTokenSettings;
  serviceTokens: ServiceTokenSettings;
  tokenChecker: TokenChecker;
  /**
   * Lazy migration (docs/migration.md): the legacy system a login asks when the account is not here
   * yet; undefined when MIGRATE_FROM_URL is not set.
   */
  legacyLogin: LegacyLogin | undefined;
}

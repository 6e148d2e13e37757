// The dependencies of a Lambda, built once per instance, each at its first use, and passed to the
// use cases. Tests build their own with buildDependencies() and a fixed clock.
import { createTokenChecker } from '../auth/token-checker.ts';
import { kmsDataKeys } from '../aws/kms.ts';
import { type Config, getConfig } from '../config/all.ts';
import type { Mailer } from '../domain/mail.ts';
import type { DataKeys } from '../domain/signing-key.ts';
import { sesMailer } from '../mail/mailer.ts';
import { legacyLoginClient } from '../migration/legacy-login-client.ts';
import { accountDeletionStore } from '../store/account-deletions.ts';
import { apiTokenStore } from '../store/api-tokens.ts';
import { authorizationCodeStore } from '../store/authorization-codes.ts';
import { authorizationRequestStore } from '../store/authorization-requests.ts';
import { browserSessionStore } from '../store/browser-sessions.ts';
import { createDb, type Db } from '../store/client.ts';
import { consentStore } from '../store/consents.ts';
import { emailChangeStore } from '../store/email-changes.ts';
import { mailQuotaStore } from '../store/mail-quotas.ts';
import { mfaChallengeStore } from '../store/mfa-challenges.ts';
import { mfaFactorStore } from '../store/mfa-factors.ts';
import { oauthClientStore } from '../store/oauth-clients.ts';
import { oneTimeTokenStore } from '../store/one-time-tokens.ts';
import { passkeyStore } from '../store/passkeys.ts';
import { registrationTokenStore } from '../store/registration-tokens.ts';
import { revocationStore } from '../store/revocations.ts';
import { securityEventStore } from '../store/security-events.ts';
import { sessionStore } from '../store/sessions.ts';
import { signingKeyStore } from '../store/signing-keys.ts';
import { throttleStore } from '../store/throttles.ts';
import { userNumberStore } from '../store/user-numbers.ts';
import { userStore } from '../store/users.ts';
import { webauthnCeremonyStore } from '../store/webauthn-ceremonies.ts';
import { type Clock, systemClock } from '../support/clock.ts';
import { lazily } from '../support/lazily.ts';
import { createKeyEnvelope } from '../tokens/key-envelope.ts';
import { createSigner } from '../tokens/signer.ts';
import { createTotpSecrets } from '../tokens/totp-secrets.ts';
import { createVerificationKeys } from '../tokens/verification-keys.ts';
import type { Dependencies } from '../use-cases/dependencies.ts';
import { accessTokenSettings, serviceTokenSettings } from './token-settings.ts';

export type { Dependencies };

/**
 * Each dependency is built at its first use and kept: a function that never sends mail never builds
 * the mailer, one that never signs never touches the signing keys or KMS (see bench/, row 4). A
 * test may hand in its own DataKeys in place of KMS.
 */
export function buildDependencies(config: Config, clock: Clock = systemClock, db?: Db, mailer?: Mailer, dataKeys?: DataKeys): Dependencies {
  // The KMS client is built only when the signer first seals or opens a key: a function that only
  // verifies (or that signs with an already-opened key) builds none.
  let envelope: ReturnType<typeof createKeyEnvelope> | undefined;
  const keyEnvelope = () => {
    envelope ??= createKeyEnvelope(dataKeys ?? kmsDataKeys(config), config.keyContext);
    return envelope;
  };
  const deps: Dependencies = lazily<Dependencies>({
    config: () => config,
    clock: () => clock,
    db: () => db ?? createDb(config),
    users: () => userStore(deps.db, config.tableName),
    userNumbers: () => userNumberStore(deps.db, config.tableName),
    sessions: () => sessionStore(deps.db, config.tableName),
    revocations: () => revocationStore(deps.db, config.tableName),
    apiTokens: () => apiTokenStore(deps.db, config.tableName),
    oneTimeTokens: () => oneTimeTokenStore(deps.db, config.tableName),
    emailChanges: () => emailChangeStore(deps.db, config.tableName),
    throttles: () => throttleStore(deps.db, config.tableName),
    mailQuotas: () => mailQuotaStore(deps.db, config.tableName),
    mailer: () => mailer ?? sesMailer(config),
    oauthClients: () => oauthClientStore(deps.db, config.tableName),
    authorizationCodes: () => authorizationCodeStore(deps.db, config.tableName),
    registrationTokens: () => registrationTokenStore(deps.db, config.tableName),
    browserSessions: () => browserSessionStore(deps.db, config.tableName),
    authorizationRequests: () => authorizationRequestStore(deps.db, config.tableName),
    consents: () => consentStore(deps.db, config.tableName),
    mfaFactors: () => mfaFactorStore(deps.db, config.tableName),
    mfaChallenges: () => mfaChallengeStore(deps.db, config.tableName),
    passkeys: () => passkeyStore(deps.db, config.tableName),
    webauthnCeremonies: () => webauthnCeremonyStore(deps.db, config.tableName),
    securityEvents: () => securityEventStore(deps.db, config.tableName),
    accountDeletions: () => accountDeletionStore(deps.db, config.tableName),
    // Sealing and opening TOTP secrets reaches KMS, like signing: only functions that do it build the client.
    totpSecrets: () => createTotpSecrets(keyEnvelope),
    verificationKeys: () => createVerificationKeys({ reads: signingKeyStore(deps.db, config.tableName), clock, cacheSeconds: config.keyCacheSeconds }),
    // Only functions that sign ever build this, so only they reach KMS.
    signer: () =>
      createSigner({
        store: signingKeyStore(deps.db, config.tableName),
        clock,
        envelope: keyEnvelope,
        verificationKeys: deps.verificationKeys,
        maxTokenLifetimeSeconds: Math.max(config.accessTokenTtlSeconds, config.serviceTokenTtlSeconds, config.oauth.idTokenTtlSeconds),
      }),
    accessTokens: () => accessTokenSettings(config),
    serviceTokens: () => serviceTokenSettings(config),
    tokenChecker: () =>
      createTokenChecker({
        verificationKeys: deps.verificationKeys,
        clock,
        revocations: deps.revocations,
        apiTokens: deps.apiTokens,
        accessTokens: deps.accessTokens,
        serviceTokens: deps.serviceTokens,
        services: config.services,
      }),
    // Lazy migration's client of the legacy system: built only by functions that log in, and only when configured.
    legacyLogin: () => legacyLoginClient(config.migration),
  });
  return deps;
}

let instance: Dependencies | undefined;

/** The instance-wide dependencies: config validated, clients built, key cache shared across invocations. */
export function dependencies(): Dependencies {
  instance ??= buildDependencies(getConfig());
  return instance;
}

// Key builders for the single table: every item's pk/sk is spelled here and nowhere else.

export const userKey = (userId: string) => ({ pk: `USER#${userId}`, sk: 'PROFILE' });
export const usernameKey = (normalised: string) => ({ pk: `USERNAME#${normalised}`, sk: 'USERNAME' });
export const emailKey = (normalised: string) => ({ pk: `EMAIL#${normalised}`, sk: 'EMAIL' });
/** The Django dialects' integer user ids: one counter, and one claim per integer (./user-numbers.ts). */
export const userNumberCounterKey = { pk: 'COUNTER#USERNUMBER', sk: 'COUNTER' };
export const userNumberKey = (number: number) => ({ pk: `USERNUMBER#${number}`, sk: 'USERNUMBER' });
/** The id an account had in the system it was imported or migrated from (User.externalId): one claim per id. */
export const externalIdKey = (externalId: string) => ({ pk: `EXTERNALID#${externalId}`, sk: 'EXTERNALID' });
export const refreshTokenKey = (tokenHash: string) => ({ pk: `REFRESH#${tokenHash}`, sk: 'REFRESH' });
export const refreshFamilyKey = (familyId: string) => ({ pk: `FAMILY#${familyId}`, sk: 'FAMILY' });
/** API tokens live in their owner's partition, beside the profile. */
export const apiTokenKey = (userId: string, tokenId: string) => ({ pk: `USER#${userId}`, sk: `APITOKEN#${tokenId}` });
export const resetTokenKey = (tokenHash: string) => ({ pk: `RESET#${tokenHash}`, sk: 'RESET' });
export const verifyTokenKey = (tokenHash: string) => ({ pk: `VERIFY#${tokenHash}`, sk: 'VERIFY' });
/** Email-change links (./email-changes.ts), by hash: the one to the new address, and the undo link to the old one. */
export const emailChangeTokenKey = (tokenHash: string) => ({ pk: `EMAILCHANGE#${tokenHash}`, sk: 'EMAILCHANGE' });
export const emailRevertTokenKey = (tokenHash: string) => ({ pk: `EMAILREVERT#${tokenHash}`, sk: 'EMAILREVERT' });
export const revokedTokenKey = (jti: string) => ({ pk: `REVOKED#${jti}`, sk: 'REVOKED' });

/** All signing keys share one partition so a single Query returns the pointer and every key. */
export const SIGNING_KEYS_PK = 'SIGNING_KEYS';
export const currentKeyPointer = { pk: SIGNING_KEYS_PK, sk: 'CURRENT' };
export const signingKeyKey = (kid: string) => ({ pk: SIGNING_KEYS_PK, sk: `KEY#${kid}` });

/** Per-user listings (sessions, API tokens) go through the gsi1 index. */
export const userListing = (userId: string) => `USER#${userId}`;

/** Abuse counters (lib/abuse/): one item per source IP, action and minute, one per login subject; all expire by TTL. */
export const ipBudgetKey = (action: string, ip: string, minute: number) => ({ pk: `IPBUDGET#${action}#${ip}`, sk: `MINUTE#${minute}` });
export const loginFailuresKey = (subject: string) => ({ pk: `LOGINFAIL#${subject}`, sk: 'LOGINFAIL' });
/** Mails of one purpose to one address (its SHA-256, so no address outlives its account here) in one clock hour. */
export const mailQuotaKey = (purpose: string, addressHash: string, hour: number) => ({ pk: `MAILQUOTA#${purpose}#${addressHash}`, sk: `HOUR#${hour}` });

/** OAuth clients (./oauth-clients.ts), listed through gsi1; each CORS origin of a client is an item of its own. */
export const oauthClientKey = (clientId: string) => ({ pk: `CLIENT#${clientId}`, sk: 'CLIENT' });
export const OAUTH_CLIENT_LISTING = 'CLIENTS';
export const clientOriginKey = (origin: string, clientId: string) => ({ pk: `CLIENTORIGIN#${origin}`, sk: `CLIENT#${clientId}` });
/** RFC 7591 initial access tokens (OAUTH_DYNAMIC_REGISTRATION=token), by hash. */
export const registrationTokenKey = (tokenHash: string) => ({ pk: `REGTOKEN#${tokenHash}`, sk: 'REGTOKEN' });
/** Authorization codes (./authorization-codes.ts), by hash. */
export const authorizationCodeKey = (codeHash: string) => ({ pk: `AUTHCODE#${codeHash}`, sk: 'AUTHCODE' });
/** Browser sessions (single sign-on) by id (the item keeps the hash of the cookie's secret), and pending authorization requests by id. */
export const browserSessionKey = (sessionId: string) => ({ pk: `BROWSER#${sessionId}`, sk: 'BROWSER' });
export const authorizationRequestKey = (requestId: string) => ({ pk: `AUTHZREQ#${requestId}`, sk: 'AUTHZREQ' });
/** What a user consented to for a third-party client: in the user's partition, beside the profile. */
export const consentKey = (userId: string, clientId: string) => ({ pk: `USER#${userId}`, sk: `CONSENT#${clientId}` });

/**
 * MFA factors live in their owner's partition under `MFA#` (one Query lists them all): the TOTP
 * factor, an unconfirmed TOTP enrolment, the recovery codes and each passkey. A passkey also has a
 * lookup item under its credential id, for passwordless sign-in (which starts from the credential).
 */
export const MFA_SK_PREFIX = 'MFA#';
export const totpKey = (userId: string) => ({ pk: `USER#${userId}`, sk: 'MFA#TOTP' });
export const pendingTotpKey = (userId: string) => ({ pk: `USER#${userId}`, sk: 'MFA#PENDINGTOTP' });
export const recoveryCodesKey = (userId: string) => ({ pk: `USER#${userId}`, sk: 'MFA#RECOVERY' });
export const passkeyKey = (userId: string, credentialId: string) => ({ pk: `USER#${userId}`, sk: `MFA#PASSKEY#${credentialId}` });
export const passkeyLookupKey = (credentialId: string) => ({ pk: `PASSKEY#${credentialId}`, sk: 'PASSKEY' });
/** Pending second steps of logins (mfa_tokens), by hash; WebAuthn ceremonies' challenges, by id. */
export const mfaChallengeKey = (tokenHash: string) => ({ pk: `MFATOKEN#${tokenHash}`, sk: 'MFATOKEN' });
export const webauthnCeremonyKey = (ceremonyId: string) => ({ pk: `WEBAUTHN#${ceremonyId}`, sk: 'WEBAUTHN' });

/**
 * Security events (./security-events.ts): the user's log in a partition of its own, in time order.
 * An account's deletion moves them under a pseudonym (DELETEDEVENTS#), with nothing naming the user.
 */
export const securityEventKey = (userId: string, at: number, eventId: string) => ({
  pk: `EVENTS#${userId}`,
  sk: `EVENT#${new Date(at).toISOString()}#${eventId}`,
});
export const securityEventsPartition = (userId: string) => `EVENTS#${userId}`;
export const pseudonymisedEventKey = (pseudonym: string, at: number, eventId: string) => ({
  pk: `DELETEDEVENTS#${pseudonym}`,
  sk: `EVENT#${new Date(at).toISOString()}#${eventId}`,
});
export const SECURITY_EVENT_SK_PREFIX = 'EVENT#';

/**
 * Items a user owns outside their partition (refresh tokens, browser sessions, reset, verification
 * and email-change tokens, pending MFA and WebAuthn steps, authorization codes) carry this gsi1
 * listing, so an account's deletion finds every one with one Query of gsi1 (and the user's
 * partition with another) instead of scanning the table. Sessions and API tokens are listed the
 * same way under their own prefixes.
 */
export const ownedItemListing = (userId: string, kind: string, id: string) => ({ gsi1pk: userListing(userId), gsi1sk: `OWNED#${kind}#${id}` });

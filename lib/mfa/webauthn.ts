// Passkeys (W3C WebAuthn Level 3) through @simplewebauthn/server: the relying party from the
// configuration, the options of the two ceremonies (§7.1 registering, §7.2 authenticating), the
// shape check of a browser's response (a malformed one is the client's fault: ValidationError
// naming the field), and its verification (challenge, origin, RP id, signature, signature counter).
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { Config } from '../config/all.ts';
import { type FieldError, ValidationError } from '../domain/errors.ts';
import type { Passkey } from '../domain/mfa.ts';
import { log } from '../support/log.ts';

/** The relying party passkeys are bound to (§5.1.2 rp, §5.4.3 rp.id) and the origins allowed to run the ceremonies (§13.4.9). */
export interface RelyingParty {
  id: string;
  name: string;
  origins: string[];
}

/** WEBAUTHN_RP_ID / WEBAUTHN_ORIGINS, defaulting to PUBLIC_URL's host and origin. */
export function relyingParty(config: Pick<Config, 'mfa' | 'publicUrl' | 'productName'>): RelyingParty {
  const site = new URL(config.publicUrl);
  return {
    id: config.mfa.webauthnRpId ?? site.hostname,
    name: config.productName,
    origins: config.mfa.webauthnOrigins && config.mfa.webauthnOrigins.length > 0 ? config.mfa.webauthnOrigins : [site.origin],
  };
}

/**
 * How long a ceremony may take: §15.1 recommends 300 to 600 seconds when user verification is
 * wanted; the challenge is stored as long (lib/store/webauthn-ceremonies.ts, the mfa_token's 300).
 */
export const CEREMONY_TIMEOUT_SECONDS = 300;

/** §6.1: credential ids are at most 1023 bytes; base64url of that is 1364 characters. */
const MAX_CREDENTIAL_ID_LENGTH = 1364;
/** Generous bounds for the other members, so a huge body fails on its shape and never reaches CBOR. */
const MAX_MEMBER_LENGTH = 16_384;

/**
 * The library, loaded at the first passkey operation rather than at cold start: with its ASN.1 and
 * X.509 parsers it is ~450 kB of bundle and ~100 ms of import, which the hosted login and account
 * pages would otherwise pay for every password-only user (bench/, the cold-start rows).
 */
type Library = { server: typeof import('@simplewebauthn/server'); helpers: typeof import('@simplewebauthn/server/helpers') };
let loading: Promise<Library> | undefined;
const library = (): Promise<Library> =>
  (loading ??= Promise.all([import('@simplewebauthn/server'), import('@simplewebauthn/server/helpers')]).then(([server, helpers]) => ({ server, helpers })));

const fromBase64url = (value: string): Uint8Array<ArrayBuffer> => new Uint8Array(Buffer.from(value, 'base64url'));

/** The user handle (§5.4.3 user.id): our opaque user id's bytes, never a name or address (§14.6.1). */
export const userHandleOf = (userId: string): string => Buffer.from(userId, 'utf8').toString('base64url');

/**
 * Options for navigator.credentials.create() (§5.4). excludeCredentials lists the user's passkeys so
 * an authenticator already registered is not registered twice (§5.4 excludeCredentials);
 * residentKey 'preferred' makes a discoverable credential where the authenticator can (needed for
 * passwordless sign-in, §6.2.2) without refusing security keys that cannot; attestation 'none'
 * (§5.4.7: we trust no attestation root).
 */
export async function registrationOptions(
  rp: RelyingParty,
  user: { id: string; username: string },
  existing: readonly Pick<Passkey, 'credentialId' | 'transports'>[],
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const { server } = await library();
  return server.generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: user.username,
    userID: fromBase64url(userHandleOf(user.id)),
    userDisplayName: user.username,
    timeout: CEREMONY_TIMEOUT_SECONDS * 1000,
    attestationType: 'none',
    excludeCredentials: existing.map((passkey) => ({ id: passkey.credentialId, transports: passkey.transports })),
    authenticatorSelection: { residentKey: 'preferred', requireResidentKey: false, userVerification: 'preferred' },
  });
}

/**
 * Options for navigator.credentials.get() (§5.5). As a second factor the user is known: the
 * allowCredentials are theirs and user verification only preferred (the password was the other
 * factor). Passwordless (`allow` empty) lets the authenticator offer its discoverable credentials
 * (§6.2.2) and requires user verification (§6.2.3): the passkey is then both factors.
 */
export async function authenticationOptions(
  rp: RelyingParty,
  allow: readonly Pick<Passkey, 'credentialId' | 'transports'>[] | 'discoverable',
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const { server } = await library();
  return server.generateAuthenticationOptions({
    rpID: rp.id,
    timeout: CEREMONY_TIMEOUT_SECONDS * 1000,
    allowCredentials: allow === 'discoverable' ? [] : allow.map((passkey) => ({ id: passkey.credentialId, transports: passkey.transports })),
    userVerification: allow === 'discoverable' ? 'required' : 'preferred',
  });
}

// ---------------------------------------------------------------------------------------------
// The response's shape (§5.1 PublicKeyCredential's toJSON(), RegistrationResponseJSON /
// AuthenticationResponseJSON): checked before any verification so a malformed one is a 400.

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

class ShapeErrors {
  readonly errors: FieldError[] = [];
  constructor(readonly field: string) {}
  add(path: string, message: string): void {
    this.errors.push({ field: `${this.field}.${path}`, message });
  }
  /** A base64url member (§5.1: ArrayBuffers travel as base64url strings). */
  base64url(object: Json, path: string, key: string, max = MAX_MEMBER_LENGTH, optional = false): string | undefined {
    const value = object[key];
    if (value === undefined && optional) return undefined;
    if (typeof value !== 'string' || value.length === 0 || value.length > max || !/^[A-Za-z0-9_-]+={0,2}$/.test(value)) {
      this.add(path, 'Expected a non-empty base64url string, as the browser returns it.');
      return undefined;
    }
    return value;
  }
  throwIfAny(): void {
    if (this.errors.length > 0) throw new ValidationError(this.errors, 'The passkey response is malformed.');
  }
}

/** The members shared by both kinds of response: id = rawId, type public-key (§5.1). */
function credentialShape(value: unknown, field: string): { shape: ShapeErrors; credential?: Json; inner?: Json } {
  const shape = new ShapeErrors(field);
  if (!isObject(value)) {
    shape.errors.push({ field, message: 'Expected the object the browser returned (PublicKeyCredential.toJSON()).' });
    shape.throwIfAny();
  }
  const credential = value as Json;
  const id = shape.base64url(credential, 'id', 'id', MAX_CREDENTIAL_ID_LENGTH);
  const rawId = shape.base64url(credential, 'rawId', 'rawId', MAX_CREDENTIAL_ID_LENGTH);
  if (id !== undefined && rawId !== undefined && id !== rawId) shape.add('rawId', 'Must equal id.');
  if (credential.type !== 'public-key') shape.add('type', 'Must be "public-key".');
  if (credential.clientExtensionResults !== undefined && !isObject(credential.clientExtensionResults)) {
    shape.add('clientExtensionResults', 'Expected an object.');
  }
  if (credential.authenticatorAttachment !== undefined && !['platform', 'cross-platform'].includes(credential.authenticatorAttachment as string)) {
    shape.add('authenticatorAttachment', 'Expected "platform" or "cross-platform".');
  }
  if (!isObject(credential.response)) {
    shape.add('response', 'Expected an object.');
    return { shape, credential };
  }
  return { shape, credential, inner: credential.response };
}

/** clientDataJSON must be base64url of a JSON object with type, challenge and origin strings (§5.8.1). */
function checkClientData(shape: ShapeErrors, inner: Json, helpers: Library['helpers']): void {
  const encoded = shape.base64url(inner, 'response.clientDataJSON', 'clientDataJSON');
  if (encoded === undefined) return;
  try {
    const data = helpers.decodeClientDataJSON(encoded) as unknown;
    if (!isObject(data) || typeof data.type !== 'string' || typeof data.challenge !== 'string' || typeof data.origin !== 'string') throw new Error('members');
  } catch {
    shape.add('response.clientDataJSON', 'Expected the base64url of the client data JSON (type, challenge, origin).');
  }
}

/** A registration response (§5.2.1 AuthenticatorAttestationResponse), or ValidationError naming what is wrong. */
export async function parseRegistrationResponse(value: unknown, field = 'response'): Promise<RegistrationResponseJSON> {
  const { shape, credential, inner } = credentialShape(value, field);
  if (inner) {
    const { helpers } = await library();
    checkClientData(shape, inner, helpers);
    const attestation = shape.base64url(inner, 'response.attestationObject', 'attestationObject');
    if (attestation !== undefined) {
      try {
        const decoded = helpers.decodeAttestationObject(fromBase64url(attestation));
        helpers.parseAuthenticatorData(decoded.get('authData'));
      } catch {
        shape.add('response.attestationObject', 'Expected the base64url of a CBOR attestation object (§6.5).');
      }
    }
    const transports = inner.transports;
    if (
      transports !== undefined &&
      !(Array.isArray(transports) && transports.length <= 16 && transports.every((t) => typeof t === 'string' && t.length <= 32))
    ) {
      shape.add('response.transports', 'Expected an array of transport names.');
    }
  }
  shape.throwIfAny();
  return { clientExtensionResults: {}, ...credential } as unknown as RegistrationResponseJSON;
}

/** An authentication response (§5.2.2 AuthenticatorAssertionResponse), or ValidationError naming what is wrong. */
export async function parseAuthenticationResponse(value: unknown, field = 'response'): Promise<AuthenticationResponseJSON> {
  const { shape, credential, inner } = credentialShape(value, field);
  if (inner) {
    const { helpers } = await library();
    checkClientData(shape, inner, helpers);
    const authenticatorData = shape.base64url(inner, 'response.authenticatorData', 'authenticatorData');
    if (authenticatorData !== undefined) {
      try {
        helpers.parseAuthenticatorData(fromBase64url(authenticatorData));
      } catch {
        shape.add('response.authenticatorData', 'Expected the base64url of authenticator data (§6.1).');
      }
    }
    shape.base64url(inner, 'response.signature', 'signature');
    // §5.2.2 userHandle: null when the credential is not discoverable.
    if (inner.userHandle === null) delete inner.userHandle;
    shape.base64url(inner, 'response.userHandle', 'userHandle', 1024, true);
  }
  shape.throwIfAny();
  return { clientExtensionResults: {}, ...credential } as unknown as AuthenticationResponseJSON;
}

// ---------------------------------------------------------------------------------------------
// Verification.

/** A verified registration: the new passkey's stored fields (the caller adds owner, name, time). */
export type RegisteredCredential = Pick<Passkey, 'credentialId' | 'publicKey' | 'counter' | 'transports' | 'deviceType' | 'backedUp' | 'aaguid'>;

/**
 * Verifies a registration (§7.1): the challenge we issued, an allowed origin, our RP id hash, user
 * presence; user verification only if the options required it (they prefer it). Undefined when it
 * does not verify (the reason goes to the log only).
 */
export async function verifyRegistration(
  rp: RelyingParty,
  response: RegistrationResponseJSON,
  expectedChallenge: string,
): Promise<RegisteredCredential | undefined> {
  try {
    const { server } = await library();
    const { verified, registrationInfo } = await server.verifyRegistrationResponse({
      response,
      expectedChallenge,
      expectedOrigin: rp.origins,
      expectedRPID: rp.id,
      requireUserPresence: true,
      requireUserVerification: false,
    });
    if (!verified) return undefined;
    const { credential, credentialDeviceType, credentialBackedUp, aaguid } = registrationInfo;
    // §7.1 (Level 3): a credentialId longer than 1023 bytes fails the ceremony (it also keys our items).
    if (credential.id.length > MAX_CREDENTIAL_ID_LENGTH) return undefined;
    return {
      credentialId: credential.id,
      publicKey: Buffer.from(credential.publicKey).toString('base64url'),
      counter: credential.counter,
      transports: credential.transports ?? response.response.transports ?? [],
      deviceType: credentialDeviceType,
      backedUp: credentialBackedUp,
      // §6.5.1: an all-zero AAGUID means "none given" (attestation 'none' often zeroes it).
      ...(aaguid && aaguid !== '00000000-0000-0000-0000-000000000000' ? { aaguid } : {}),
    };
  } catch (error) {
    log.info('passkey registration refused', { reason: reasonOf(error) });
    return undefined;
  }
}

/** Why an assertion was refused: `counter` is §6.1.1's sign of a cloned authenticator. */
export type AssertionRefusal = 'counter' | 'user_handle' | 'user_verification' | 'invalid';

export type AssertionOutcome =
  | { verified: true; newCounter: number; backedUp: boolean; deviceType: Passkey['deviceType']; userVerified: boolean }
  | { verified: false; reason: AssertionRefusal };

/**
 * Verifies an assertion (§7.2) with the stored passkey: the challenge we issued, an allowed origin,
 * our RP id hash, user presence, the signature; user verification when `requireUserVerification`
 * (passwordless, §6.2.3); a user handle, when given (and it must be, passwordless), naming the
 * passkey's owner (§7.2, identifying the user); and a signature counter that moved forward (§7.2 and §6.1.1: when
 * either counter is non-zero, the new one must be greater, else the authenticator may be cloned and
 * we refuse it).
 */
export async function verifyAssertion(
  rp: RelyingParty,
  response: AuthenticationResponseJSON,
  expectedChallenge: string,
  passkey: Passkey,
  options: { requireUserVerification: boolean },
): Promise<AssertionOutcome> {
  const userHandle = response.response.userHandle;
  if ((userHandle === undefined && options.requireUserVerification) || (userHandle !== undefined && userHandle !== userHandleOf(passkey.userId))) {
    return { verified: false, reason: 'user_handle' };
  }
  const { server, helpers } = await library();
  const data = helpers.parseAuthenticatorData(fromBase64url(response.response.authenticatorData));
  if (options.requireUserVerification && !data.flags.uv) return { verified: false, reason: 'user_verification' };
  if ((data.counter > 0 || passkey.counter > 0) && data.counter <= passkey.counter) {
    log.warn('passkey signature counter did not increase: possibly a cloned authenticator', {
      credentialId: passkey.credentialId,
      stored: passkey.counter,
      received: data.counter,
    });
    return { verified: false, reason: 'counter' };
  }
  try {
    const { verified, authenticationInfo } = await server.verifyAuthenticationResponse({
      response,
      expectedChallenge,
      expectedOrigin: rp.origins,
      expectedRPID: rp.id,
      credential: { id: passkey.credentialId, publicKey: fromBase64url(passkey.publicKey), counter: passkey.counter, transports: passkey.transports },
      requireUserVerification: options.requireUserVerification,
    });
    if (!verified) return { verified: false, reason: 'invalid' };
    return {
      verified: true,
      newCounter: authenticationInfo.newCounter,
      backedUp: authenticationInfo.credentialBackedUp,
      deviceType: authenticationInfo.credentialDeviceType,
      userVerified: authenticationInfo.userVerified,
    };
  } catch (error) {
    log.info('passkey assertion refused', { reason: reasonOf(error) });
    return { verified: false, reason: 'invalid' };
  }
}

/** The library's message, without the challenges it quotes (one-time values, but not for the log). */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/"[A-Za-z0-9_-]{16,}"/g, '"…"').slice(0, 200);
}

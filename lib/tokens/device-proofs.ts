// Device proofs (OWASP Authentication Cheat Sheet, "Slow Down Online Guessing Attacks with Device
// Cookies"): what a client gets after a successful login, to show at its next logins that it is a
// device the account's owner has used. Failed logins with a valid proof count against that device
// only, so an attacker who locks out everyone else (lib/abuse/login-throttle.ts) does not lock out
// the owner.
//
// Why a JWT and not an opaque random value with a table item: a login must not get slower. A proof
// signed with our own keys (RS256, the same key set as access tokens) is checked with the public
// key the instance already holds, without a read, and needs no item per device. It names no one
// but the user id: sub, a random id (jti) whose counter locks that one device, iat and exp.
// Its own `typ` (device-proof+jwt) and audience (<issuer>/device-proof) mean it is refused wherever
// an access or service token is expected, and those are refused here (RFC 8725 §3.11).
// Revocation: one device, by its counter (locked after LOGIN_MAX_FAILURES failures presented with
// it, as OWASP says); every device of a user, by the user's valid-after time, which "log out
// everywhere" and a password reset move (a proof issued before it is ignored). A key rotation also
// retires proofs once their key is no longer published: the owner logs in once as a new device.
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { InvalidTokenError, TokenExpiredError } from '../domain/errors.ts';
import type { User } from '../domain/user.ts';
import { issuedAtSeconds, type SignDeps, type UserClaims, type VerifyDeps, verifyUserToken } from './signed-jwt.ts';
import { SIGNING_ALG } from './signing-alg.ts';

export const DEVICE_PROOF_TYP = 'device-proof+jwt';

export interface DeviceProofSettings {
  issuer: string;
  ttlSeconds: number;
}

/** The audience of device proofs: ours alone, never an access-token audience or a service id. */
export const deviceProofAudience = (issuer: string) => `${issuer}/device-proof`;

/** A proof that checked out: whose device, which device, and when it was issued (epoch seconds). */
export interface DeviceProof {
  userId: string;
  deviceId: string;
  issuedAt: number;
}

/** Longer values are not proofs of ours; they are not even parsed. */
const MAX_PROOF_LENGTH = 4096;

export async function issueDeviceProof(user: Pick<User, 'id' | 'validAfterMs'>, deps: SignDeps & { settings: DeviceProofSettings }): Promise<string> {
  const { kid, privateKey } = await deps.signer.signingKey();
  const iat = issuedAtSeconds(deps.clock.now(), user);
  return new SignJWT({})
    .setProtectedHeader({ alg: SIGNING_ALG, kid, typ: DEVICE_PROOF_TYP })
    .setIssuer(deps.settings.issuer)
    .setSubject(user.id)
    .setAudience(deviceProofAudience(deps.settings.issuer))
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(iat + deps.settings.ttlSeconds)
    .setJti(randomUUID())
    .sign(privateKey);
}

/**
 * The proof a client showed, if it is one of ours, unexpired and untampered; undefined otherwise
 * (a bad proof is treated as none, never as an error). Whether it belongs to the account being
 * logged into, and is not revoked, is for the caller to check against the user.
 */
export async function readDeviceProof(token: string, deps: VerifyDeps & { settings: Pick<DeviceProofSettings, 'issuer'> }): Promise<DeviceProof | undefined> {
  if (token.length > MAX_PROOF_LENGTH) return undefined;
  try {
    const claims = await verifyUserToken<UserClaims>(
      token,
      { typ: DEVICE_PROOF_TYP, issuer: deps.settings.issuer, audience: deviceProofAudience(deps.settings.issuer) },
      deps,
    );
    return { userId: claims.sub, deviceId: claims.jti, issuedAt: claims.iat };
  } catch (error) {
    if (error instanceof InvalidTokenError || error instanceof TokenExpiredError) return undefined;
    throw error;
  }
}

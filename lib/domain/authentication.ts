// How a user authenticated: the RFC 8176 methods (amr), the assurance level (acr) and when
// (auth_time). Access and ID tokens carry it (RFC 9068 §2.2.1, OIDC Core §2), sessions keep it
// across refreshes, and step-up (lib/use-cases/step-up.ts) reads it.

/** RFC 8176 §2 method values this service uses. */
export const AMR = {
  /** Password. */
  pwd: 'pwd',
  /** One-time password: a TOTP code, or a single-use recovery code (NIST look-up secret). */
  otp: 'otp',
  /** Proof of possession of a hardware-secured key: a passkey that is not synced (single-device). */
  hwk: 'hwk',
  /** Proof of possession of a software-secured key: a synced (multi-device) passkey. */
  swk: 'swk',
  /** Multiple-factor authentication. */
  mfa: 'mfa',
  /** User presence and verification by the authenticator (a passkey with UV, passwordless). */
  user: 'user',
} as const;

/**
 * acr values: NIST SP 800-63B authenticator assurance levels. `aal1` is one factor (a password);
 * `aal2` is two (a password and a second factor, or a passkey with user verification, which is a
 * multi-factor cryptographic authenticator).
 */
export const ACR_VALUES = ['aal1', 'aal2'] as const;
export type Acr = (typeof ACR_VALUES)[number];

export interface Authentication {
  /** Epoch seconds of the last interactive authentication (`auth_time`). */
  authTime: number;
  amr: string[];
  acr: Acr;
}

/** The assurance level the methods reach. */
export function acrFor(amr: readonly string[]): Acr {
  return amr.includes(AMR.mfa) ? 'aal2' : 'aal1';
}

/** A password alone, now. */
export function passwordAuthentication(authTime: number): Authentication {
  return { authTime, amr: [AMR.pwd], acr: 'aal1' };
}

/** The methods a completed second step adds to the password's. */
export function withSecondFactor(authTime: number, factorAmr: string[]): Authentication {
  const amr = [...new Set([AMR.pwd, ...factorAmr, AMR.mfa])];
  return { authTime, amr, acr: acrFor(amr) };
}

/** The amr of a passkey: hwk when bound to one device, swk when synced (RFC 8176 §2). */
export function passkeyAmr(deviceType: 'singleDevice' | 'multiDevice'): string {
  return deviceType === 'multiDevice' ? AMR.swk : AMR.hwk;
}

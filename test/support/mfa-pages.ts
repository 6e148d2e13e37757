// Helpers of the MFA page tests (issue 17): TOTP codes computed from a secret as an authenticator
// app would, enrolment through the JSON API, and the DevTools virtual authenticator (a passkey
// without hardware: internal transport, resident keys, user verification).
import { Secret, TOTP } from 'otpauth';
import type { CDPSession, Page } from 'playwright-core';
import { expect } from 'vitest';
import { api, loggedInUser, type NewUser } from '../e2e/helpers.ts';

const STEP_MS = 30_000;

/** The code an app shows for `secret`, `offsetSteps` time steps from now (+1 avoids a code of the step just used: replay). */
export const totpCode = (secret: string, offsetSteps = 0) =>
  new TOTP({ secret: Secret.fromBase32(secret.replace(/\s+/g, '')), digits: 6, period: 30, algorithm: 'SHA1' }).generate({
    timestamp: Date.now() + offsetSteps * STEP_MS,
  });

/** A fresh user with an authenticator app enrolled through the JSON API: its secret and recovery codes. */
export async function userWithTotp(prefix: string): Promise<{ user: NewUser; secret: string; recoveryCodes: string[] }> {
  const { user, accessToken } = await loggedInUser(prefix);
  const headers = { authorization: `Bearer ${accessToken}` };
  const started = await api('/mfa/totp', { method: 'POST', headers });
  expect(started.status, started.text).toBe(201);
  const confirmed = await api('/mfa/totp/confirm', { json: { code: totpCode(started.body.secret) }, headers });
  expect(confirmed.status, confirmed.text).toBe(200);
  return { user, secret: started.body.secret, recoveryCodes: confirmed.body.recovery_codes };
}

/** Adds a virtual platform authenticator to the page's browser (WebAuthn.addVirtualAuthenticator). */
export async function virtualAuthenticator(page: Page): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

/** The payload of a JWT, unverified (openid-client has verified the ID token already). */
export const jwtClaims = (token: string): Record<string, unknown> => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));

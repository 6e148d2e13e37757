// lib/mfa/webauthn.ts without a network: the relying party from the configuration, the options of
// both ceremonies, and the response shape checks, which answer anything a client may send with
// either a parsed response or a ValidationError naming fields under `response` (fast-check), never
// another error (which would be a 500).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mfaConfig } from '../../../lib/config/sections/mfa.ts';
import { ValidationError } from '../../../lib/domain/errors.ts';
import {
  authenticationOptions,
  parseAuthenticationResponse,
  parseRegistrationResponse,
  registrationOptions,
  relyingParty,
  userHandleOf,
} from '../../../lib/mfa/webauthn.ts';
import { SoftAuthenticator } from '../../support/soft-authenticator.ts';

const config = (env: Record<string, string> = {}) => ({ publicUrl: 'https://auth.example.org', productName: 'Example', mfa: mfaConfig(env) });
const rp = relyingParty(config());

describe('the relying party', () => {
  it('defaults to the host and origin of PUBLIC_URL, and takes WEBAUTHN_RP_ID and WEBAUTHN_ORIGINS', () => {
    expect(rp).toEqual({ id: 'auth.example.org', name: 'Example', origins: ['https://auth.example.org'] });
    expect(relyingParty(config({ WEBAUTHN_RP_ID: 'example.org', WEBAUTHN_ORIGINS: 'https://auth.example.org,https://app.example.org' }))).toEqual({
      id: 'example.org',
      name: 'Example',
      origins: ['https://auth.example.org', 'https://app.example.org'],
    });
  });
});

describe('the options', () => {
  it('register with an opaque user handle, discoverable where possible, no attestation, excluding known credentials', async () => {
    const options = await registrationOptions(rp, { id: 'user-1', username: 'jane' }, [{ credentialId: 'AAAA', transports: ['usb'] }]);
    expect(options).toMatchObject({
      rp: { id: 'auth.example.org', name: 'Example' },
      user: { id: userHandleOf('user-1'), name: 'jane' },
      attestation: 'none',
      excludeCredentials: [{ id: 'AAAA', type: 'public-key', transports: ['usb'] }],
      authenticatorSelection: { residentKey: 'preferred', requireResidentKey: false, userVerification: 'preferred' },
      timeout: 300_000,
    });
    expect(options.challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('authenticate a known user with their credentials, and passwordless with none and user verification required', async () => {
    expect(await authenticationOptions(rp, [{ credentialId: 'AAAA', transports: [] }])).toMatchObject({
      rpId: 'auth.example.org',
      allowCredentials: [{ id: 'AAAA', type: 'public-key' }],
      userVerification: 'preferred',
    });
    expect(await authenticationOptions(rp, 'discoverable')).toMatchObject({ allowCredentials: [], userVerification: 'required' });
  });
});

describe('the response shape checks', () => {
  const authenticator = new SoftAuthenticator({ origin: 'https://auth.example.org', rpId: 'auth.example.org' });
  const registration = authenticator.register({ challenge: 'c', user: { id: 'u' } });
  const assertion = authenticator.assert('c');

  it('accept what a browser sends, null userHandle and missing clientExtensionResults included', async () => {
    expect((await parseRegistrationResponse(registration)).id).toBe(registration.id);
    const { clientExtensionResults: _, ...bare } = assertion;
    expect(await parseAuthenticationResponse({ ...bare, response: { ...assertion.response, userHandle: null } })).toMatchObject({
      id: assertion.id,
      clientExtensionResults: {},
    });
  });

  /** Any JSON, and the real responses with one member replaced by any JSON. */
  const mutated = (base: Record<string, any>) =>
    fc.oneof(
      fc.jsonValue(),
      fc.tuple(fc.constantFrom(...Object.keys(base)), fc.jsonValue()).map(([key, value]) => ({ ...base, [key]: value })),
      fc
        .tuple(fc.constantFrom(...Object.keys(base.response)), fc.jsonValue())
        .map(([key, value]) => ({ ...base, response: { ...base.response, [key]: value } })),
      fc.tuple(fc.constantFrom(...Object.keys(base.response)), fc.string()).map(([key, value]) => ({ ...base, response: { ...base.response, [key]: value } })),
    );

  const onlyValidationErrors = (parse: (value: unknown) => Promise<unknown>) => async (value: unknown) => {
    try {
      await parse(value);
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      for (const { field } of (error as ValidationError).errors ?? []) expect(field).toMatch(/^response(\.|$)/);
    }
  };

  it('answer any registration body with the parsed response or a ValidationError naming fields under response (property)', async () => {
    await fc.assert(fc.asyncProperty(mutated(registration), onlyValidationErrors(parseRegistrationResponse)), { numRuns: 2000 });
  });

  it('answer any assertion body likewise (property)', async () => {
    await fc.assert(fc.asyncProperty(mutated(assertion), onlyValidationErrors(parseAuthenticationResponse)), { numRuns: 2000 });
  });

  it('name each bad member', async () => {
    const error = await (async () => {
      try {
        await parseAuthenticationResponse({ id: 'AA', rawId: 'BB', type: 'x', response: { clientDataJSON: 'e30', authenticatorData: '', signature: 1 } });
      } catch (e) {
        return e as ValidationError;
      }
    })();
    expect(error?.errors?.map((e) => e.field)).toEqual([
      'response.rawId',
      'response.type',
      'response.response.clientDataJSON',
      'response.response.authenticatorData',
      'response.response.signature',
    ]);
  });
});

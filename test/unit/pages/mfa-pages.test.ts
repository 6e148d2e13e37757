// The second-step page's markup (issue 17): the code field phones fill from the app or a text
// message, the CSP that lets a script run only on a page with a passkey button (our own origin's),
// and WebAuthn options embedded as data that no value can break out of.
import { describe, expect, it } from 'vitest';
import { secondStepPage } from '../../../lib/pages/mfa-pages.ts';
import { pageAsset } from '../../../lib/pages/page-assets.ts';

const brand = { productName: 'Auth' };
const base = { action: '/oauth/login/mfa', hidden: { request: 'r', csrf_token: 'c', mfa_token: 't' }, stepField: 'step' };

describe('the second-step page', () => {
  it('offers the code field with autocomplete one-time-code and numeric input, and no script without passkeys', () => {
    const result = secondStepPage(brand, { ...base, methods: ['totp', 'recovery_code'] });
    expect(result.body).toMatch(/<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code"/);
    expect(result.body).toContain('href="#recovery-code"');
    expect(result.body).not.toContain('<script');
    expect(result.headers['content-security-policy']).not.toContain('script-src');
  });

  it('with passkeys: our scripts only (script-src self), and options as inert JSON that cannot close its element', () => {
    const result = secondStepPage(brand, {
      ...base,
      methods: ['webauthn', 'recovery_code'],
      webauthnOptions: { challenge: '</script><script>alert(1)</script>' },
    });
    expect(result.headers['content-security-policy']).toContain("script-src 'self'");
    expect(result.body).toContain('<script type="application/json" id="webauthn-options">');
    expect(result.body).not.toContain('</script><script>alert(1)');
    const json = /<script type="application\/json" id="webauthn-options">(.*?)<\/script>/s.exec(String(result.body))![1]!;
    expect(JSON.parse(json)).toEqual({ challenge: '</script><script>alert(1)</script>' });
    expect(result.body).toContain('<script src="/assets/simplewebauthn-browser.js"></script>');
    expect(result.body).not.toContain('name="code"');
  });

  it('serves @simplewebauthn/browser and our script, and nothing else', async () => {
    expect((await pageAsset('simplewebauthn-browser.js')).body).toContain('SimpleWebAuthnBrowser');
    expect((await pageAsset('passkey.js')).body).toContain('data-ceremony');
    await expect(pageAsset('constructor')).rejects.toThrow('No such file');
  });
});

// The redirect URI rules (lib/domain/redirect-uri.ts): what may be registered (OAuth 2.1 §2.3,
// RFC 8252 §7), exact matching with the loopback port exception (RFC 8252 §7.3), and CORS origins.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientOriginKeys, corsOriginKey, redirectUriMatches, redirectUriProblem } from '../../../lib/domain/redirect-uri.ts';

describe('what may be registered', () => {
  it.each([
    'https://app.example.com/callback',
    'https://app.example.com/callback?tenant=a',
    'http://127.0.0.1/callback',
    'http://[::1]:8080/cb',
    'http://localhost:3003/',
    'com.example.app:/oauth2redirect',
  ])('accepts %s', (uri) => {
    expect(redirectUriProblem(uri)).toBeUndefined();
  });

  it.each([
    ['https://app.example.com/callback#x', /fragment/],
    ['http://app.example.com/callback', /uses http/],
    ['https://*.example.com/callback', /wildcard/],
    ['https://user:pw@app.example.com/cb', /user information/],
    ['javascript:alert(1)', /javascript/],
    ['data:text/html,hi', /data/],
    ['myapp:/callback', /reverse-domain/],
    ['/relative/callback', /absolute/],
    [`https://app.example.com/${'a'.repeat(2000)}`, /longer/],
  ])('refuses %s', (uri, problem) => {
    expect(redirectUriProblem(uri)).toMatch(problem);
  });

  it('gives problems in printable ASCII (they become error_description, RFC 6749 section 5.2)', () => {
    for (const uri of ['https://a.example/#f', 'myapp:/cb', 'http://a.example/']) expect(redirectUriProblem(uri)).toMatch(/^[\x20-\x21\x23-\x5B\x5D-\x7E]+$/);
  });
});

describe('matching', () => {
  it('matches exactly, string for string: no prefix, case, slash or query variations', () => {
    const registered = ['https://app.example.com/callback'];
    expect(redirectUriMatches(registered, 'https://app.example.com/callback')).toBe(true);
    for (const other of [
      'https://app.example.com/callback/',
      'https://app.example.com/callback?x=1',
      'https://APP.example.com/callback',
      'https://app.example.com/callbackx',
      'https://app.example.com:443/callback',
      'https://app.example.com.evil.example/callback',
    ]) {
      expect(redirectUriMatches(registered, other), other).toBe(false);
    }
  });

  it('lets a loopback IP redirect name any port, and nothing else about it differ (RFC 8252 section 7.3)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 65535 }), fc.constantFrom('127.0.0.1', '[::1]'), (port, host) => {
        const registered = [`http://${host}/callback`];
        expect(redirectUriMatches(registered, `http://${host}:${port}/callback`)).toBe(true);
        expect(redirectUriMatches(registered, `http://${host}:${port}/other`)).toBe(false);
        expect(redirectUriMatches(registered, `https://${host}:${port}/callback`)).toBe(false);
      }),
    );
    // localhost is not a loopback IP literal: it matches exactly (RFC 8252 section 8.3).
    expect(redirectUriMatches(['http://localhost/callback'], 'http://localhost:9999/callback')).toBe(false);
  });
});

describe('CORS origins', () => {
  it('are the web origins of redirect URIs, loopback IPs without their port, and none for app schemes', () => {
    expect(corsOriginKey('https://app.example.com/callback?x=1')).toBe('https://app.example.com');
    expect(corsOriginKey('http://127.0.0.1:5173')).toBe('http://127.0.0.1');
    expect(corsOriginKey('com.example.app:/cb')).toBeUndefined();
    expect(clientOriginKeys(['https://a.example/1', 'https://a.example/2', 'com.example.app:/cb', 'http://localhost:3003/'])).toEqual([
      'https://a.example',
      'http://localhost:3003',
    ]);
  });
});

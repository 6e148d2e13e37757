// The account page's pieces without a browser: a user agent boiled down to two names, a message
// said in its own section (or above all when the section is not on the page), the profile and the
// token list escaping what users typed, and the lifetimes offered bounded by API_TOKEN_MAX_TTL.
import { describe, expect, it } from 'vitest';
import { shownTime, shownUserAgent } from '../../../lib/pages/account-format.ts';
import { accountPage } from '../../../lib/pages/account-home.ts';
import { profileSection } from '../../../lib/pages/account-profile.ts';
import { tokensSection } from '../../../lib/pages/account-tokens.ts';
import { html } from '../../../lib/support/html.ts';

const brand = { productName: 'Test' };

describe('shownUserAgent', () => {
  it.each([
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', 'Chrome on Linux'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0', 'Firefox on Windows'],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
      'Safari on iOS',
    ],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0', 'Edge on Windows'],
    ['curl/8.5.0', 'curl'],
    ['node', 'a program'],
    ['', 'an unknown browser'],
    [undefined, 'an unknown browser'],
    ['<script>', 'an unknown browser'],
  ])('%s -> %s', (agent, shown) => {
    expect(shownUserAgent(agent)).toBe(shown);
  });

  it('shows minutes in UTC', () => {
    expect(shownTime(Date.UTC(2026, 10, 30, 5, 12, 59))).toBe('2026-11-30 05:12 UTC');
  });
});

describe('accountPage', () => {
  const sections = [
    { id: 'one', heading: 'One', content: html`<p>first</p>` },
    { id: 'two', heading: 'Two', content: html`<p>second</p>` },
  ];

  it('says a message in the section it belongs to', () => {
    const body = accountPage(brand, { username: 'u', csrf: 'c', sections, message: { kind: 'ok', text: 'Done.', section: 'two' } }).body as string;
    const two = body.slice(body.indexOf('id="two"'));
    expect(two).toContain('role="status">Done.');
    expect(body.slice(0, body.indexOf('id="two"'))).not.toContain('Done.');
  });

  it('says it above the sections when its section is not on the page', () => {
    const body = accountPage(brand, { username: 'u', csrf: 'c', sections, message: { kind: 'bad', text: 'Oops.', section: 'gone' } }).body as string;
    expect(body.indexOf('Oops.')).toBeGreaterThan(0);
    expect(body.indexOf('Oops.')).toBeLessThan(body.indexOf('id="one"'));
  });
});

describe('sections', () => {
  it('the profile escapes what the user typed', () => {
    const section = profileSection({ username: '<b>x</b>', email: 'a@b.example', emailVerified: false, createdAt: '2026-01-02T03:04:05Z' });
    expect(section.content.value).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(section.content.value).toContain('not verified yet');
    expect(section.content.value).toContain('2026-01-02');
  });

  it('offers only lifetimes up to API_TOKEN_MAX_TTL, and the default selected; never a token hash', () => {
    const token = { id: 'id-1', userId: 'u', name: '<i>n</i>', ttl: 60, tokenHash: 'HASH-never-shown', createdAt: 0, modifiedAt: 0, expiresAt: 86_400 };
    const content = tokensSection({ csrf: 'c', tokens: [token], maxTtlSeconds: 30 * 86_400, defaultTtlSeconds: 30 * 86_400 }).content.value;
    expect(content).toContain('<option value="2592000" selected>30 days</option>');
    expect(content).toContain('7 days');
    expect(content).not.toContain('90 days');
    expect(content).not.toContain('HASH-never-shown');
    expect(content).toContain('&lt;i&gt;n&lt;/i&gt;');
  });

  it('a maximum below a week is offered as is', () => {
    const content = tokensSection({ csrf: 'c', tokens: [], maxTtlSeconds: 3600, defaultTtlSeconds: 3600 }).content.value;
    expect(content).toContain('<option value="3600" selected>3600 seconds</option>');
  });
});

// Reading credentials from headers: HTTP Basic bounded like a login body.
import { describe, expect, it } from 'vitest';
import { basicCredentials, bearerToken } from '../../../lib/http/request.ts';
import { httpEvent } from '../../support/http-event.ts';

const basic = (raw: string) => httpEvent({ headers: { authorization: `Basic ${Buffer.from(raw).toString('base64')}` } });

describe('basicCredentials', () => {
  it('reads login and password; the password may contain colons', () => {
    expect(basicCredentials(basic('jane@example.com:pa:ss'))).toEqual({ login: 'jane@example.com', password: 'pa:ss' });
    expect(basicCredentials(basic(':nologin'))).toBeUndefined();
    expect(basicCredentials(httpEvent({ headers: { authorization: 'Basic !!' } }))).toBeUndefined();
  });

  it('refuses credentials longer than a login body allows (they would reach a table key)', () => {
    for (const raw of [`${'a'.repeat(255)}:pw`, `${'\uFDFA'.repeat(100)}:pw`, `jane:${'p'.repeat(513)}`]) {
      expect(() => basicCredentials(basic(raw))).toThrow(
        expect.objectContaining({ code: 'invalid_request', errors: [{ field: 'authorization', message: 'The Basic credentials are too long.' }] }),
      );
    }
    expect(basicCredentials(basic(`${'a'.repeat(254)}:${'p'.repeat(512)}`))).toBeDefined();
  });
});

describe('bearerToken', () => {
  it('reads Authorization: Bearer or X-Auth-Token, one word only', () => {
    expect(bearerToken(httpEvent({ headers: { authorization: 'Bearer abc' } }))).toBe('abc');
    expect(bearerToken(httpEvent({ headers: { authorization: 'Bearer a b' } }))).toBeUndefined();
    expect(bearerToken(httpEvent({ headers: { 'x-auth-token': ' abc ' } }))).toBe('abc');
  });
});

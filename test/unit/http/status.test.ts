// The challenge part of lib/http/status.ts: a wrong password is challenged with Basic only when the
// request's credentials came with Basic; refused bearer tokens keep their RFC 6750 challenge.
import { describe, expect, it } from 'vitest';
import { InvalidCredentialsError, InvalidTokenError, MissingTokenError } from '../../../lib/domain/errors.ts';
import { basicCredentials, usedBasicCredentials } from '../../../lib/http/request.ts';
import { toHttpError } from '../../../lib/http/status.ts';
import { httpEvent } from '../../support/http-event.ts';

describe('WWW-Authenticate', () => {
  it('is absent on a wrong password unless the request used Basic', () => {
    expect(toHttpError(new InvalidCredentialsError()).headers).toEqual({});
    expect(toHttpError(new InvalidCredentialsError(), { usedBasic: false }).headers).toEqual({});
    expect(toHttpError(new InvalidCredentialsError(), { usedBasic: true }).headers).toEqual({ 'www-authenticate': 'Basic realm="auth", charset="UTF-8"' });
  });

  it('keeps the Bearer challenge for refused and missing tokens, Basic or not', () => {
    for (const usedBasic of [false, true]) {
      expect(toHttpError(new InvalidTokenError(), { usedBasic }).headers['www-authenticate']).toBe('Bearer error="invalid_token"');
      expect(toHttpError(new MissingTokenError(), { usedBasic }).headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
    }
  });

  it('counts a request as using Basic only once a handler has read Basic credentials from it', () => {
    const event = httpEvent({ headers: { authorization: `Basic ${Buffer.from('jane:secret').toString('base64')}` } });
    expect(usedBasicCredentials(event)).toBe(false);
    expect(basicCredentials(event)).toEqual({ login: 'jane', password: 'secret' });
    expect(usedBasicCredentials(event)).toBe(true);
    const bearer = httpEvent({ headers: { authorization: 'Bearer x' } });
    expect(basicCredentials(bearer)).toBeUndefined();
    expect(usedBasicCredentials(bearer)).toBe(false);
  });
});

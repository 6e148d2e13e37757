// The Django dialects' pieces without a server: DRF CharField reading (./drf-fields.ts) and the DRF
// and simplejwt error envelopes (./envelopes.ts), from the errors the HTTP layer raises.
import { describe, expect, it } from 'vitest';
import {
  AppError,
  InvalidCredentialsError,
  InvalidRefreshTokenError,
  InvalidTokenError,
  MalformedBodyError,
  MethodNotAllowedError,
  MissingTokenError,
  TokenExpiredError,
  TooManyRequestsError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../../../lib/domain/errors.ts';
import { check } from '../../../lib/domain/validation.ts';
import { toHttpError } from '../../../lib/http/status.ts';
import { drfBody, drfChar, drfPassword } from '../../../lib/routes/compat/drf-fields.ts';
import { drfError, miniSassError } from '../../../lib/routes/compat/envelopes.ts';

const rendered = (render: typeof drfError, error: Parameters<typeof toHttpError>[0]) => {
  const result = render(toHttpError(error));
  return [result.statusCode, JSON.parse(result.body!)];
};

describe('DRF CharField reading', () => {
  const schema = drfBody({ name: drfChar(), note: drfChar({ required: false, allowBlank: true, allowNull: true }), password: drfPassword() });

  it.each([
    [{ password: 'x' }, { name: 'This field is required.' }],
    [{ name: null, password: 'x' }, { name: 'This field may not be null.' }],
    [{ name: '   ', password: 'x' }, { name: 'This field may not be blank.' }],
    [{ name: true, password: 'x' }, { name: 'Not a valid string.' }],
    [{ name: { a: 1 }, password: 'x' }, { name: 'Not a valid string.' }],
    [{ name: 'a\u0000b', password: 'x' }, { name: 'Null characters are not allowed.' }],
    [{ name: 'a', password: '' }, { password: 'This field may not be blank.' }],
  ])('%j is refused as DRF words it', (input, expected) => {
    const { errors } = check(schema, input);
    expect(Object.fromEntries(errors.map((e) => [e.field, e.message]))).toEqual(expected);
  });

  it('trims text, keeps numbers as text, leaves passwords as sent and drops unknown keys', () => {
    const { data, errors } = check(schema, { name: ' jane ', note: 5, password: ' pw ', extra: 'x', constructor: 'y' });
    expect(errors).toEqual([]);
    expect(data).toEqual({ name: 'jane', note: '5', password: ' pw ' });
  });

  it('accepts null, blank and absence where allowed', () => {
    expect(check(schema, { name: 'a', password: 'b', note: null }).data?.note).toBeNull();
    expect(check(schema, { name: 'a', password: 'b', note: '' }).data?.note).toBe('');
    expect(check(schema, { name: 'a', password: 'b' }).errors).toEqual([]);
  });
});

describe('DRF envelope', () => {
  it.each([
    [new MethodNotAllowedError('GET', ['POST', 'OPTIONS']), 405, { detail: 'Method "GET" not allowed.' }],
    [new UnsupportedMediaTypeError('text/plain', 'text/plain;charset=UTF-8'), 415, { detail: 'Unsupported media type "text/plain;charset=UTF-8" in request.' }],
    [
      new MalformedBodyError('The body is not valid JSON.', { parseError: 'Unexpected end of JSON input' }),
      400,
      { detail: 'JSON parse error - Unexpected end of JSON input' },
    ],
    [
      new MalformedBodyError('The JSON body must be an object.', { jsonType: 'array' }),
      400,
      { non_field_errors: ['Invalid data. Expected a dictionary, but got list.'] },
    ],
    [new MalformedBodyError('The JSON body must be an object.', { jsonType: 'null' }), 400, { non_field_errors: ['No data provided'] }],
    [
      new MalformedBodyError('The JSON body must be an object.', { jsonType: 'float' }),
      400,
      { non_field_errors: ['Invalid data. Expected a dictionary, but got float.'] },
    ],
    [new MissingTokenError(), 401, { detail: 'Authentication credentials were not provided.' }],
    [new TooManyRequestsError('Too many.', 1), 429, { detail: 'Request was throttled. Expected available in 1 second.' }],
    [new TooManyRequestsError('Too many.', 30), 429, { detail: 'Request was throttled. Expected available in 30 seconds.' }],
    [
      new ValidationError([
        { field: '(body)', message: 'm' },
        { field: 'a', message: 'n' },
      ]),
      400,
      { non_field_errors: ['m'], a: ['n'] },
    ],
  ])('%s', (error, status, body) => {
    expect(rendered(drfError, error)).toEqual([status, body]);
  });

  it('keeps our text and code where DRF has no words of its own', () => {
    expect(rendered(drfError, new InvalidCredentialsError())).toEqual([401, { detail: 'Invalid username/email or password.', code: 'invalid_credentials' }]);
  });
});

describe('miniSASS envelope (simplejwt)', () => {
  const accessRefused = {
    detail: 'Given token not valid for any token type',
    code: 'token_not_valid',
    messages: [{ token_class: 'AccessToken', token_type: 'access', message: 'Token is invalid or expired' }],
  };

  it.each([
    [new InvalidTokenError(), 401, accessRefused],
    [new TokenExpiredError(), 401, accessRefused],
    [
      new AppError('invalid_token', 'x', { facts: { tokenProblem: 'wrong_type' } }),
      401,
      { ...accessRefused, messages: [{ ...accessRefused.messages[0], message: 'Token has wrong type' }] },
    ],
    [
      new AppError('invalid_token', 'x', { facts: { tokenProblem: 'bad_header' } }),
      401,
      { detail: 'Authorization header must contain two space-delimited values', code: 'bad_authorization_header' },
    ],
    [new InvalidRefreshTokenError(), 401, { detail: 'Token is invalid or expired', code: 'token_not_valid' }],
    [new InvalidRefreshTokenError('revoked'), 401, { detail: 'Token is blacklisted', code: 'token_not_valid' }],
    [new InvalidRefreshTokenError('wrong_type'), 401, { detail: 'Token has wrong type', code: 'token_not_valid' }],
    [new InvalidCredentialsError(), 401, { detail: 'No active account found with the given credentials' }],
    [new MethodNotAllowedError('PUT', ['POST']), 405, { detail: 'Method "PUT" not allowed.' }],
  ])('%s', (error, status, body) => {
    expect(rendered(miniSassError, error)).toEqual([status, body]);
  });
});

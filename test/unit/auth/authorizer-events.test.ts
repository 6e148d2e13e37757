// The authorizer's event plumbing, without any token checking: reading the bearer token from each
// event kind API Gateway sends, and answering in the format that kind expects.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AuthorizerEvent, allow, deny, isSimpleResponseEvent, tokenFromEvent, unauthorized } from '../../../lib/auth/authorizer-events.ts';
import { asSimple, METHOD_ARN, requestEvent, STAGE_WILDCARD, tokenEvent, v2Event } from '../../support/authorizer-events.ts';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
const context = { sub: 'user-1', permissions: 'a:read,b:write' };

describe('tokenFromEvent', () => {
  describe('REST TOKEN events', () => {
    it.each([
      ['Bearer x.y.z', 'x.y.z'],
      ['bearer x.y.z', 'x.y.z'],
      ['BEARER x.y.z', 'x.y.z'],
      ['Bearer \t x.y.z  ', 'x.y.z'],
      [`Bearer ${JWT}`, JWT],
      ['x.y.z', 'x.y.z'],
      [`  ${JWT} `, JWT],
      ['opaque-token-without-dots', undefined],
      ['Basic abc', undefined],
      ['Basic dXNlcjpwYXNz', undefined],
      ['Bearer', undefined],
      ['Bearer ', undefined],
      ['Bearer a b', undefined],
      ['x.y', undefined],
      ['x.y.z.w', undefined],
      ['', undefined],
      ['   ', undefined],
    ])('%j -> %j', (authorizationToken, expected) => {
      expect(tokenFromEvent(tokenEvent(authorizationToken))).toBe(expected);
    });

    it('ignores headers-like fields on a TOKEN event', () => {
      const event = { ...tokenEvent(''), headers: { authorization: 'Bearer x.y.z' } } as AuthorizerEvent;
      expect(tokenFromEvent(event)).toBeUndefined();
    });
  });

  describe('REST REQUEST (payload 1.0) events', () => {
    it.each([
      [{ Authorization: 'Bearer x.y.z' }, 'x.y.z'],
      [{ AuThOrIzAtIoN: 'bearer x.y.z' }, 'x.y.z'],
      [{ authorization: 'x.y.z' }, 'x.y.z'],
      [{ 'X-Auth-Token': 'x.y.z' }, 'x.y.z'],
      [{ 'x-auth-token': '  opaque  ' }, 'opaque'],
      [{ 'X-AUTH-TOKEN': 'x.y.z' }, 'x.y.z'],
      [{ Authorization: 'Bearer a.b.c', 'X-Auth-Token': 'x.y.z' }, 'a.b.c'],
      // An Authorization header that is not a bearer token does not hide X-Auth-Token.
      [{ Authorization: 'Basic abc', 'X-Auth-Token': 'x.y.z' }, 'x.y.z'],
      [{ Authorization: 'Basic abc' }, undefined],
      [{ 'X-Auth-Token': '   ' }, undefined],
      [{ 'X-Auth-Token': undefined }, undefined],
      [{ Accept: 'application/json' }, undefined],
      [{}, undefined],
      [null, undefined],
    ])('%j -> %j', (headers, expected) => {
      expect(tokenFromEvent(requestEvent(headers))).toBe(expected);
    });
  });

  describe('HTTP API (payload 2.0) events', () => {
    it.each([
      [{ authorization: 'Bearer x.y.z' }, 'x.y.z'],
      [{ authorization: 'bearer x.y.z' }, 'x.y.z'],
      [{ authorization: JWT }, JWT],
      [{ 'x-auth-token': 'x.y.z' }, 'x.y.z'],
      [{ authorization: 'Basic abc', 'x-auth-token': 'x.y.z' }, 'x.y.z'],
      [{ authorization: 'Basic abc' }, undefined],
      [{ 'content-type': 'application/json' }, undefined],
      [undefined, undefined],
    ])('%j -> %j', (headers, expected) => {
      expect(tokenFromEvent(v2Event(headers))).toBe(expected);
    });
  });

  it('never passes on an X-Auth-Token value with whitespace inside as if it were a token', () => {
    for (const value of ['Bearer x.y.z', 'a b', 'x.y.z\u00a0junk']) {
      for (const event of [requestEvent({ 'X-Auth-Token': value }), v2Event({ 'x-auth-token': value })]) {
        const token = tokenFromEvent(event);
        expect(token === undefined || !/\s/u.test(token), `X-Auth-Token ${JSON.stringify(value)} gave ${JSON.stringify(token)}`).toBe(true);
      }
    }
  });

  it('never throws, and yields either nothing or one whitespace-free token', () => {
    // Pieces that make the interesting cases (bearer prefixes, JWT shapes, odd whitespace) likely.
    const piece = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 8 }),
      fc.constantFrom('Bearer', 'bearer', 'Basic', ' ', '\t', '\n', '\r', '\u00a0', '\u2028', '\u3000', '\ufeff', '.', 'x.y.z', 'a.b.', '-_', JWT),
    );
    const value = fc.array(piece, { maxLength: 6 }).map((parts) => parts.join(''));
    const headerName = fc.oneof(
      fc.constantFrom('Authorization', 'authorization', 'AUTHORIZATION', 'X-Auth-Token', 'x-auth-token', 'X-AUTH-TOKEN', 'Host'),
      fc.string({ maxLength: 12 }),
    );
    const headers = fc.oneof(fc.constant(null), fc.constant(undefined), fc.dictionary(headerName, fc.option(value, { nil: undefined }), { maxKeys: 4 }));
    const event: fc.Arbitrary<AuthorizerEvent> = fc.oneof(
      value.map((v) => tokenEvent(v)),
      headers.map((h) => requestEvent(h)),
      headers.map((h) => v2Event(h)),
    );
    fc.assert(
      fc.property(event, (e) => {
        const token = tokenFromEvent(e);
        expect(token === undefined || (typeof token === 'string' && token.length > 0 && !/\s/u.test(token))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('isSimpleResponseEvent', () => {
  it('is true only for payload 2.0 events', () => {
    expect(isSimpleResponseEvent(v2Event({}))).toBe(true);
    expect(isSimpleResponseEvent(tokenEvent('x.y.z'))).toBe(false);
    expect(isSimpleResponseEvent(requestEvent({}))).toBe(false);
    expect(isSimpleResponseEvent({ ...v2Event({}), version: '1.0' } as AuthorizerEvent)).toBe(false);
  });
});

describe('allow and deny', () => {
  it('answer HTTP API 2.0 events with a simple response carrying the context', () => {
    expect(allow(v2Event({}), 'user-1', context)).toEqual({ isAuthorized: true, context });
    expect(deny(v2Event({}), { code: 'invalid_token', message: 'no' })).toEqual({ isAuthorized: false, context: { code: 'invalid_token', message: 'no' } });
  });

  it.each([
    ['TOKEN', tokenEvent('x.y.z')],
    ['REQUEST', requestEvent({})],
  ])('answer REST %s events with a policy for the whole stage', (_kind, event) => {
    expect(allow(event, 'user-1', context)).toEqual({
      principalId: 'user-1',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: STAGE_WILDCARD }],
      },
      context,
    });
    const denied = deny(event, { code: 'invalid_token', message: 'no' });
    expect(denied).toEqual({
      principalId: expect.any(String),
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: STAGE_WILDCARD }],
      },
      context: { code: 'invalid_token', message: 'no' },
    });
  });

  it('derive the same wildcard from any method and path of the stage, so a cached policy fits them all', () => {
    const stageArn = 'arn:aws:execute-api:eu-west-1:123456789012:abcdef/prod';
    for (const arn of [METHOD_ARN, `${stageArn}/POST/orders`, `${stageArn}/DELETE/a/b/c/d`, `${stageArn}/GET/`]) {
      expect(
        (allow(tokenEvent('x.y.z', arn), 'u', {}) as { policyDocument: { Statement: { Resource: string }[] } }).policyDocument.Statement[0]!.Resource,
      ).toBe(STAGE_WILDCARD);
    }
  });
});

describe('unauthorized', () => {
  it('throws exactly "Unauthorized" for REST events, which API Gateway turns into a 401', () => {
    for (const event of [tokenEvent(''), requestEvent({})]) {
      expect(() => unauthorized(event, { code: 'missing_token', message: 'm' })).toThrow(new Error('Unauthorized'));
    }
  });

  it('denies HTTP API 2.0 events, which have no 401 from an authorizer', () => {
    const result = asSimple(unauthorized(v2Event({}), { code: 'missing_token', message: 'm' }));
    expect(result).toEqual({ isAuthorized: false, context: { code: 'missing_token', message: 'm' } });
  });
});

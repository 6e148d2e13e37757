import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../lib/domain/errors.ts';
import { MAX_BODY_BYTES, parseBody } from '../../../lib/http/parse-body.ts';
import { httpStatus } from '../../../lib/http/status.ts';
import { httpEvent } from '../../support/http-event.ts';

const json = (body: string | Buffer) => httpEvent({ headers: { 'content-type': 'application/json' }, body });

describe('parseBody', () => {
  it('parses JSON, urlencoded and multipart bodies into the same object', async () => {
    const expected = { username: 'jane', password: 'p@ss word:1&2' };
    expect(await parseBody(json(JSON.stringify(expected)))).toEqual(expected);
    const form = httpEvent({
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: new URLSearchParams(expected).toString(),
    });
    expect(await parseBody(form)).toEqual(expected);
    const multipart = new Request('http://x', {
      method: 'POST',
      body: Object.entries(expected).reduce((fd, [k, v]) => {
        fd.append(k, v);
        return fd;
      }, new FormData()),
    });
    const raw = Buffer.from(await multipart.arrayBuffer());
    expect(await parseBody(httpEvent({ headers: { 'content-type': multipart.headers.get('content-type')! }, body: raw }))).toEqual(expected);
  });

  it('accepts base64-encoded bodies as API Gateway sends them', async () => {
    expect(await parseBody(httpEvent({ headers: { 'content-type': 'application/json' }, body: '{"a":"b"}', base64: true }))).toEqual({ a: 'b' });
  });

  it('treats an empty body as an empty object', async () => {
    expect(await parseBody(httpEvent({}))).toEqual({});
  });

  it('answers 400 for malformed JSON and for JSON that is not an object', async () => {
    for (const body of ['{', '[1,2]', 'null', '"text"', '42']) {
      await expect(parseBody(json(body))).rejects.toMatchObject({ code: 'malformed_body' });
    }
  });

  it('answers 400 for invalid UTF-8', async () => {
    await expect(parseBody(json(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])))).rejects.toMatchObject({ code: 'malformed_body' });
  });

  it('answers 413 above 64 KiB and 415 for other content types', async () => {
    await expect(parseBody(json(`{"a":"${'x'.repeat(MAX_BODY_BYTES)}"}`))).rejects.toMatchObject({ code: 'payload_too_large' });
    await expect(parseBody(httpEvent({ headers: { 'content-type': 'text/plain' }, body: 'hi' }))).rejects.toMatchObject({ code: 'unsupported_media_type' });
    await expect(parseBody(httpEvent({ body: 'hi' }))).rejects.toMatchObject({ code: 'unsupported_media_type' });
  });

  it('refuses a form field given twice instead of picking one', async () => {
    const event = httpEvent({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1&a=2' });
    await expect(parseBody(event)).rejects.toMatchObject({ code: 'malformed_body', message: expect.stringContaining('"a"') });
  });

  it('refuses __proto__, constructor and prototype at any depth, naming where (no prototype pollution)', async () => {
    const refused = (await parseBody(json('{"a":[{"b":1},{"prototype":{"x":1}}],"__proto__":{"polluted":true},"ok":{"constructor":2}}')).catch(
      (e: unknown) => e,
    )) as AppError;
    expect(refused).toMatchObject({ code: 'invalid_request' });
    expect(refused.errors!.map((e) => e.field).sort()).toEqual(['__proto__', 'a.1.prototype', 'ok.constructor']);
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const form = httpEvent({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `a=1&${key}=x` });
      await expect(parseBody(form)).rejects.toMatchObject({ code: 'invalid_request', errors: [{ field: key, message: 'This field name is not allowed.' }] });
      const data = new FormData();
      data.append(key, 'x');
      const multipart = new Request('http://x', { method: 'POST', body: data });
      const raw = Buffer.from(await multipart.arrayBuffer());
      await expect(parseBody(httpEvent({ headers: { 'content-type': multipart.headers.get('content-type')! }, body: raw }))).rejects.toMatchObject({
        code: 'invalid_request',
      });
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps other names of Object.prototype members as plain data', async () => {
    const parsed = await parseBody(json('{"toString":"x","hasOwnProperty":"y"}'));
    expect(Object.keys(parsed)).toEqual(['toString', 'hasOwnProperty']);
  });

  it('walks a deeply nested body without running out of stack', async () => {
    const depth = 30_000;
    await expect(parseBody(json(`{"a":${'['.repeat(depth)}${']'.repeat(depth)}}`))).resolves.toHaveProperty('a');
    await expect(parseBody(json(`{"a":${'['.repeat(depth)}{"__proto__":1}${']'.repeat(depth)}}`))).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('refuses a body over the limit before decoding it', async () => {
    // 100,000 characters that decode to nothing: the encoded size alone is over the limit.
    await expect(parseBody(httpEvent({ headers: { 'content-type': 'application/json' }, body: '!'.repeat(100_000), base64: false }))).rejects.toMatchObject({
      code: 'payload_too_large',
    });
    const event = httpEvent({ headers: { 'content-type': 'application/json' }, body: '{}' });
    event.isBase64Encoded = true;
    event.body = '!'.repeat(100_000);
    await expect(parseBody(event)).rejects.toMatchObject({ code: 'payload_too_large' });
  });

  it('answers every random body and content type with an object or a 4xx AppError (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain', ''), fc.string()),
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'binary' }),
          fc.uint8Array().map((a) => Buffer.from(a)),
          fc.json(),
        ),
        async (contentType, body) => {
          const event = httpEvent({ headers: contentType ? { 'content-type': contentType } : {}, body });
          try {
            const parsed = await parseBody(event);
            expect(typeof parsed).toBe('object');
          } catch (error) {
            expect(error).toBeInstanceOf(AppError);
            expect(httpStatus(error as AppError)).toBeGreaterThanOrEqual(400);
            expect(httpStatus(error as AppError)).toBeLessThan(500);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});

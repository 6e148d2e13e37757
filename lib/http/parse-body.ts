// Turns a request body into a plain object: JSON, application/x-www-form-urlencoded or
// multipart/form-data, as the documented clients send all three. Size, type and syntax problems
// become 413 / 415 / 400. Keys such as "__proto__" are refused (400 naming them) at any depth, so
// no later copy, merge or record-building can ever assign through the prototype chain.
import { type FieldError, MalformedBodyError, PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '../domain/errors.ts';
import { header } from './request.ts';
import type { HttpEvent } from './types.ts';

export const MAX_BODY_BYTES = 64 * 1024;

type Body = Record<string, unknown>;

/**
 * Whether the body is certainly over the limit before decoding it (Lambda accepts up to 6 MB):
 * base64 carries 3 bytes in 4 characters, and UTF-8 needs at least a byte per UTF-16 code unit.
 */
function certainlyTooLarge(event: HttpEvent): boolean {
  const length = event.body?.length ?? 0;
  return event.isBase64Encoded ? length > Math.ceil(MAX_BODY_BYTES / 3) * 4 + 4 : length > MAX_BODY_BYTES;
}

function rawBody(event: HttpEvent): Buffer {
  if (!event.body) return Buffer.alloc(0);
  if (certainlyTooLarge(event)) throw new PayloadTooLargeError(MAX_BODY_BYTES);
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Names no client needs and that reach Object.prototype when code assigns them (prototype pollution). */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_NAMED = 20;

interface Node {
  value: unknown;
  key: string;
  parent: Node | undefined;
}

/** "a.0.b": a path is spelled only for a refused key (a deep body would make every path costly). */
function pathOf(node: Node): string {
  const keys: string[] = [];
  for (let at: Node | undefined = node; at?.parent; at = at.parent) keys.push(at.key);
  const path = keys.reverse().join('.');
  return path.length > 64 ? `${path.slice(0, 64)}…` : path;
}

/**
 * Refuses forbidden keys anywhere in a parsed body. Iterative, as a 64 KiB body can nest thousands
 * of levels deep, more than a recursive walk (or a JSON.parse reviver) has stack for.
 */
function refuseForbiddenKeys(body: unknown): void {
  const refused: FieldError[] = [];
  const pending: Node[] = [{ value: body, key: '', parent: undefined }];
  while (pending.length && refused.length < MAX_NAMED) {
    const node = pending.pop()!;
    if (node.value === null || typeof node.value !== 'object') continue;
    for (const [key, value] of Object.entries(node.value)) {
      const child = { value, key, parent: node };
      if (FORBIDDEN_KEYS.has(key)) refused.push({ field: pathOf(child), message: 'This field name is not allowed.' });
      else pending.push(child);
    }
  }
  if (refused.length) throw new ValidationError(refused.slice(0, MAX_NAMED));
}

function parseJson(raw: Buffer): Body {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch (error) {
    // The parser's complaint (a position, at most a few characters of the body) goes back only to
    // its sender, for dialects that show it (Django REST Framework's "JSON parse error - ...").
    const parseError = error instanceof Error ? error.message.slice(0, 200) : 'invalid JSON';
    throw new MalformedBodyError('The body is not valid JSON.', { parseError });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const jsonType =
      value === null
        ? 'null'
        : Array.isArray(value)
          ? 'array'
          : typeof value === 'number'
            ? Number.isInteger(value)
              ? 'integer'
              : 'float'
            : (typeof value as 'string' | 'boolean');
    throw new MalformedBodyError('The JSON body must be an object.', { jsonType });
  }
  refuseForbiddenKeys(value);
  return value as Body;
}

/** Builds an object from form pairs; a key given twice is refused rather than silently merged. */
function fromPairs(pairs: Iterable<[string, unknown]>): Body {
  const entries = new Map<string, unknown>();
  for (const [key, value] of pairs) {
    if (FORBIDDEN_KEYS.has(key)) throw new ValidationError([{ field: key, message: 'This field name is not allowed.' }]);
    if (entries.has(key)) throw new MalformedBodyError(`The form field "${key}" is given more than once.`);
    if (typeof value !== 'string') throw new MalformedBodyError(`The form field "${key}" must be text, not a file.`);
    entries.set(key, value);
  }
  return Object.fromEntries(entries);
}

function parseUrlEncoded(raw: Buffer): Body {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw new MalformedBodyError('The form body is not valid UTF-8.');
  }
  return fromPairs(new URLSearchParams(text));
}

async function parseMultipart(raw: Buffer, contentType: string): Promise<Body> {
  let form: FormData;
  try {
    // undici (Node's fetch) ships a spec-compliant multipart parser: no dependency needed.
    form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw new MalformedBodyError('The multipart/form-data body could not be parsed.');
  }
  return fromPairs(form.entries());
}

/** Parses the body of `event`; an absent body is an empty object. */
export async function parseBody(event: HttpEvent): Promise<Body> {
  const raw = rawBody(event);
  if (raw.length > MAX_BODY_BYTES) throw new PayloadTooLargeError(MAX_BODY_BYTES);
  const contentType = header(event, 'content-type');
  if (raw.length === 0) return {};
  const type = mediaType(contentType);
  if (type === 'application/json' || /^application\/[\w.+-]+\+json$/.test(type)) return parseJson(raw);
  if (type === 'application/x-www-form-urlencoded') return parseUrlEncoded(raw);
  if (type === 'multipart/form-data') return parseMultipart(raw, contentType!);
  throw new UnsupportedMediaTypeError(type || '(none)', contentType ?? '');
}

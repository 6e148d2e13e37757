// Reading the parts of a request that every handler needs: headers and credentials.
import { ValidationError } from '../domain/errors.ts';
import { fitsInKey } from '../domain/identity.ts';
import type { HttpEvent } from './types.ts';

/** Header lookup; API Gateway v2 lowercases names, serverless-offline does too, but be tolerant. */
export function header(event: HttpEvent, name: string): string | undefined {
  const headers = event.headers ?? {};
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

/** The bearer credential from `Authorization: Bearer <t>` or `X-Auth-Token: <t>`, if any. */
export function bearerToken(event: HttpEvent): string | undefined {
  const authorization = header(event, 'authorization');
  const match = authorization?.match(/^Bearer[ \t]+(\S+)[ \t]*$/i);
  if (match) return match[1];
  // X-Auth-Token carries the bare token: one word, or nothing usable.
  const xAuth = header(event, 'x-auth-token')?.trim();
  return xAuth && !/\s/.test(xAuth) ? xAuth : undefined;
}

/** As a password field (MAX_PASSWORD_LENGTH * 4 in lib/passwords.ts, not imported: it loads argon2). */
const MAX_BASIC_PASSWORD = 512;

export interface BasicCredentials {
  login: string;
  password: string;
}

/**
 * The requests whose credentials a handler took from HTTP Basic: only their wrong-password 401
 * carries the Basic challenge (lib/http/status.ts), since a challenge to a request that did not use
 * Basic (a JSON login from a browser app) makes the browser show its own credentials dialog.
 */
const usedBasic = new WeakSet<HttpEvent>();

/** Whether a handler read this request's credentials from `Authorization: Basic`. */
export function usedBasicCredentials(event: HttpEvent): boolean {
  return usedBasic.has(event);
}

/**
 * `Authorization: Basic base64(login:password)` (RFC 7617); the password may contain colons.
 * Returning credentials marks the request as using Basic (see usedBasicCredentials).
 */
export function basicCredentials(event: HttpEvent): BasicCredentials | undefined {
  const match = header(event, 'authorization')?.match(/^Basic[ \t]+([A-Za-z0-9+/=]+)[ \t]*$/i);
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  const login = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  // The bounds of a login body: an unbounded name would reach a table key (and fail there, a 500).
  if (login.length > 254 || !fitsInKey(login) || password.length > MAX_BASIC_PASSWORD) {
    throw new ValidationError([{ field: 'authorization', message: 'The Basic credentials are too long.' }]);
  }
  usedBasic.add(event);
  return { login, password };
}

/** A browser submitting one of our pages' forms (it asks for HTML); API clients get JSON. */
export function wantsHtml(event: HttpEvent): boolean {
  return /\btext\/html\b/i.test(header(event, 'accept') ?? '');
}

/** A query-string parameter, if present and not empty. */
export function queryParameter(event: HttpEvent, name: string): string | undefined {
  const value = event.queryStringParameters?.[name];
  return value ? value : undefined;
}

// Where the current request comes from (the client's network prefix, its user agent, and which
// door it came through), for the records that describe it: security events and the sessions list.
//
// Why AsyncLocalStorage rather than a parameter: these facts are recorded deep inside use cases
// (a failed login in authenticate(), a session in startSession()) that twenty routes reach through
// different paths; threading an "origin" argument through every one of them would change every
// signature for a value none of them decides on. serve() (lib/http/endpoint.ts) sets it once per
// request; code outside a request (admin CLI, tests) sees `undefined` fields.
import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The door a request came through: `native` (the JSON API), `hosted` (the hosted pages), a
 * compatibility dialect, or `admin` (the admin CLI). An OAuth client's own id is recorded apart.
 */
export type Channel = 'native' | 'hosted' | 'tcap' | 'eclecticiq' | 'opentact' | 'minisass' | 'admin';

export interface RequestOrigin {
  channel: Channel;
  /** networkPrefix() of the source address (lib/support/ip-address.ts): never the address itself. */
  ipPrefix?: string;
  /** The User-Agent header, cut to MAX_USER_AGENT_LENGTH characters. */
  userAgent?: string;
}

/** Enough to tell browsers and apps apart; a longer header is cut, never refused. */
export const MAX_USER_AGENT_LENGTH = 256;

const storage = new AsyncLocalStorage<RequestOrigin>();

/** Runs `work` with `origin` as the current request's. */
export function withRequestOrigin<T>(origin: RequestOrigin, work: () => T): T {
  return storage.run(origin, work);
}

/** The current request's origin; outside a request, a bare one of `fallback`'s channel. */
export function requestOrigin(fallback: Channel = 'native'): RequestOrigin {
  return storage.getStore() ?? { channel: fallback };
}

/** A User-Agent header as stored: trimmed, cut, and without control characters. */
export function storedUserAgent(header: string | undefined): string | undefined {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const text = header?.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return text ? [...text].slice(0, MAX_USER_AGENT_LENGTH).join('') : undefined;
}

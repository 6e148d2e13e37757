// The rules for redirect URIs, one place for registration, authorization and logout:
//  - what may be registered: an absolute URI without a fragment (OAuth 2.1 §2.3), https, or http
//    only on a loopback interface (RFC 8252 §7.3, OAuth 2.1 §8.4.2), or a native app's private-use
//    scheme in reverse-domain form (RFC 8252 §7.1); no userinfo, no wildcards;
//  - how a requested URI matches: exactly, string for string (OAuth 2.1 §2.3.1, RFC 9700
//    §4.1.3), except that a loopback IP redirect may name any port (RFC 8252 §7.3);
//  - which web origin a registered URI gives (CORS for browser clients).

/** RFC 8252 §7.3 names the loopback IP literals; `localhost` is NOT RECOMMENDED (§8.3) and matches exactly. */
const LOOPBACK_IP_HOSTS = new Set(['127.0.0.1', '[::1]']);

function parse(uri: string): URL | undefined {
  try {
    return new URL(uri);
  } catch {
    return undefined;
  }
}

/** An http URI on a loopback IP literal (its port may vary at authorization time). */
export function isLoopbackIpRedirect(uri: string): boolean {
  const url = parse(uri);
  return url !== undefined && url.protocol === 'http:' && LOOPBACK_IP_HOSTS.has(url.hostname);
}

/** http://localhost or a loopback IP: the only places plain http is allowed. */
function isLoopback(url: URL): boolean {
  return LOOPBACK_IP_HOSTS.has(url.hostname) || url.hostname === 'localhost';
}

/** RFC 8252 §7.1: a private-use scheme, in reverse-domain form so it names its owner (`com.example.app`). */
const PRIVATE_USE_SCHEME = /^[a-z][a-z0-9+-]*(\.[a-z0-9+-]+)+:$/;

/** Why `uri` may not be registered as a redirect URI, or undefined when it may. */
export function redirectUriProblem(uri: string): string | undefined {
  if (uri.length > 2000) return 'is longer than 2000 characters';
  const url = parse(uri);
  if (!url) return 'is not an absolute URI';
  if (uri.includes('#')) return 'has a fragment (OAuth 2.1 section 2.3)';
  if (url.username || url.password) return 'carries user information';
  if (uri.includes('*')) return 'has a wildcard; redirect URIs match exactly';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:') return isLoopback(url) ? undefined : 'uses http; only https, or http on a loopback address, is allowed';
  if (PRIVATE_USE_SCHEME.test(url.protocol)) return undefined;
  if (['javascript:', 'data:', 'file:', 'vbscript:', 'blob:'].includes(url.protocol)) return `uses the ${url.protocol} scheme`;
  return 'uses a custom scheme that is not in reverse-domain form (RFC 8252 section 7.1), e.g. com.example.app:/callback';
}

/** Whether `requested` is one of `registered`: the same string, or a loopback IP redirect differing only in its port. */
export function redirectUriMatches(registered: readonly string[], requested: string): boolean {
  if (registered.includes(requested)) return true;
  if (!isLoopbackIpRedirect(requested)) return false;
  const wanted = withoutPort(requested);
  return registered.some((uri) => isLoopbackIpRedirect(uri) && withoutPort(uri) === wanted);
}

function withoutPort(uri: string): string {
  const url = new URL(uri);
  url.port = '';
  return url.toString();
}

/**
 * The key a web origin is registered and looked up under for CORS: the origin itself, or, for a
 * loopback IP (any port), the origin without its port. Undefined for what is not a web origin.
 */
export function corsOriginKey(originOrUri: string): string | undefined {
  const url = parse(originOrUri);
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) return undefined;
  if (LOOPBACK_IP_HOSTS.has(url.hostname)) return `${url.protocol}//${url.hostname}`;
  return url.origin;
}

/** The CORS keys of a client's redirect URIs (its browser origins), without repeats. */
export function clientOriginKeys(redirectUris: readonly string[]): string[] {
  return [...new Set(redirectUris.map(corsOriginKey).filter((key): key is string => key !== undefined))];
}

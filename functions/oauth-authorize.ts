// /oauth/authorize (OAuth 2.1 §4.1.1, OIDC Core §3.1.2): GET with query parameters, or POST with a
// form. An unknown client or an unregistered redirect_uri gets our error page and never a redirect;
// every other problem, and every answer, goes back to the client with iss (RFC 9207).
import { AppError } from '../lib/domain/errors.ts';
import { stepAnswer } from '../lib/http/authorization-step.ts';
import { readCookie, sessionCookieName } from '../lib/http/browser-cookies.ts';
import { implement, serve } from '../lib/http/endpoint.ts';
import type { HttpEvent } from '../lib/http/types.ts';
import { oauthErrorPage } from '../lib/pages/oauth-pages.ts';
import { authorizeGet, authorizePost, oauthAuthorizeLambda } from '../lib/routes/native/oauth-authorization.ts';
import { authorizationParameters, type RawParameters, trustedClient, UntrustedRedirectError } from '../lib/use-cases/authorization-parameters.ts';
import { authorize, errorRedirect } from '../lib/use-cases/authorize.ts';
import { currentBrowserSession } from '../lib/use-cases/browser-sessions.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

/** The query's parameters with every value of a repeated name (API Gateway joins them with commas otherwise). */
function queryParameters(event: HttpEvent): RawParameters {
  // No prototype: a parameter named `constructor` or `__proto__` is just a parameter.
  const raw: Record<string, string[]> = Object.create(null);
  const text = event.rawQueryString ?? new URLSearchParams(event.queryStringParameters as Record<string, string>).toString();
  for (const [name, value] of new URLSearchParams(text)) raw[name] = [...(raw[name] ?? []), value];
  return raw;
}

/** The form's parameters (the body parser already refused repeated names); non-text values are refused as malformed. */
function formParameters(event: HttpEvent): RawParameters {
  const raw: Record<string, string[]> = Object.create(null);
  for (const [name, value] of Object.entries(event.parsedBody ?? {})) raw[name] = [typeof value === 'string' ? value : JSON.stringify(value)];
  return raw;
}

async function answer(event: HttpEvent, raw: RawParameters) {
  let trusted: Awaited<ReturnType<typeof trustedClient>>;
  try {
    trusted = await trustedClient(raw, (clientId) => deps.oauthClients.get(clientId));
  } catch (error) {
    if (error instanceof UntrustedRedirectError) return oauthErrorPage(deps.config, 'This sign-in request cannot be used', error.message);
    throw error;
  }
  const { client, redirectUri } = trusted;
  let params: ReturnType<typeof authorizationParameters>;
  try {
    params = authorizationParameters(raw, client, redirectUri);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const state = raw.state?.length === 1 ? raw.state[0] : undefined;
    return stepAnswer(errorRedirect({ redirectUri, ...(state ? { state } : {}) }, error, deps.config.issuer), 302);
  }
  const signedIn = await currentBrowserSession(readCookie(event, sessionCookieName(deps.config.publicUrl)), deps);
  return stepAnswer(await authorize(params, client, signedIn, deps), 302);
}

export const handler = serve(oauthAuthorizeLambda, [
  implement(authorizeGet, ({ event }) => answer(event, queryParameters(event))),
  implement(authorizePost, ({ event }) => answer(event, formParameters(event))),
]);

// The example single-page app's logic: OAuth 2.1 authorization code + PKCE and OpenID Connect with
// oauth4webapi (https://github.com/panva/oauth4webapi), configured from the issuer's discovery
// document alone. A public client: no secret; PKCE and the exact redirect URI protect the code.
import * as oauth from './vendor/oauth4webapi.js';

const $ = (id) => document.getElementById(id);

const clientAuth = oauth.None();
// The page's own URL, registered for the client as its redirect URI and its post-logout redirect URI.
const redirectUri = new URL('./', location.href).href;
// Set from /config.json by main(): which issuer and client to use (served by scripts/example-spa/server.ts).
let issuer;
let client;
// oauth4webapi refuses plain http unless told; only the local issuer of `npm start` is http.
let options = {};

// sessionStorage: what must survive the round trip through the login page, and nothing more.
const PENDING = 'example-spa.pending-sign-in';
const LOGOUT_STATE = 'example-spa.logout-state';

/** The tokens of this tab; kept in memory only, so a script injected later cannot read them from storage. */
let tokens;
let refreshes = 0;

function show(message, { error = false } = {}) {
  const status = $('status');
  status.textContent = message;
  status.classList.toggle('error', error);
}

function render(as, claims) {
  $('signed-in').hidden = !tokens;
  $('signed-out').hidden = Boolean(tokens);
  $('issuer').textContent = JSON.stringify(as, null, 2);
  if (!tokens) return;
  $('greeting').textContent = `Signed in as ${claims.preferred_username ?? claims.email ?? claims.sub}`;
  $('claims').textContent = JSON.stringify(claims, null, 2);
  $('expires').textContent = new Date(Date.now() + tokens.expires_in * 1000).toLocaleTimeString();
  $('scope').textContent = tokens.scope ?? '';
  $('refreshes').textContent = String(refreshes);
}

async function discover() {
  const response = await oauth.discoveryRequest(issuer, options);
  return oauth.processDiscoveryResponse(issuer, response);
}

/** Starts the sign-in: to the authorization endpoint with a fresh PKCE verifier, state and nonce. */
async function signIn(as) {
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  sessionStorage.setItem(PENDING, JSON.stringify({ codeVerifier, state, nonce }));
  const url = new URL(as.authorization_endpoint);
  url.searchParams.set('client_id', client.client_id);
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', 'openid profile email');
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('state', state);
  url.searchParams.set('nonce', nonce);
  location.assign(url.href);
}

/** Back from the authorization endpoint: checks state and iss (RFC 9207), redeems the code, validates the ID token. */
async function completeSignIn(as, currentUrl) {
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null');
  sessionStorage.removeItem(PENDING);
  // The code is single use: keep it out of the history and of a reload.
  history.replaceState(null, '', redirectUri);
  if (!pending) throw new Error('This tab did not start a sign-in.');
  const params = oauth.validateAuthResponse(as, client, currentUrl, pending.state);
  const response = await oauth.authorizationCodeGrantRequest(as, client, clientAuth, params, redirectUri, pending.codeVerifier, options);
  tokens = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: pending.nonce, requireIdToken: true });
  return oauth.getValidatedIdTokenClaims(tokens);
}

async function loadUserinfo(as, claims) {
  const response = await oauth.userInfoRequest(as, client, tokens.access_token, options);
  const userinfo = await oauth.processUserInfoResponse(as, client, claims.sub, response);
  $('userinfo').textContent = JSON.stringify(userinfo, null, 2);
}

/** A new access token (and ID token) for the refresh token, which rotates: the old one is spent. */
async function refresh(as) {
  const previous = tokens.refresh_token;
  const response = await oauth.refreshTokenGrantRequest(as, client, clientAuth, previous, options);
  const next = await oauth.processRefreshTokenResponse(as, client, response);
  // Public clients always get a new refresh token (OAuth 2.1 §4.3.1); keep the old one only if not.
  tokens = { ...next, refresh_token: next.refresh_token ?? previous, id_token: next.id_token ?? tokens.id_token };
  refreshes += 1;
  return { claims: oauth.getValidatedIdTokenClaims(next), rotated: next.refresh_token !== undefined && next.refresh_token !== previous };
}

/** RP-initiated logout: the issuer ends its session and sends the browser back here with our state. */
function signOut(as) {
  const state = oauth.generateRandomState();
  sessionStorage.setItem(LOGOUT_STATE, state);
  const url = new URL(as.end_session_endpoint);
  url.searchParams.set('id_token_hint', tokens.id_token);
  url.searchParams.set('client_id', client.client_id);
  url.searchParams.set('post_logout_redirect_uri', redirectUri);
  url.searchParams.set('state', state);
  tokens = undefined;
  location.assign(url.href);
}

function describe(error) {
  if (error instanceof oauth.AuthorizationResponseError || error instanceof oauth.ResponseBodyError) {
    return `${error.error}${error.error_description ? `: ${error.error_description}` : ''}`;
  }
  return error instanceof Error ? error.message : String(error);
}

async function main() {
  const config = await (await fetch('./config.json')).json();
  issuer = new URL(config.issuer);
  client = { client_id: config.clientId };
  if (issuer.protocol === 'http:') options = { [oauth.allowInsecureRequests]: true };
  const as = await discover();
  let claims;
  $('sign-in').addEventListener('click', () => signIn(as).catch((error) => show(`Sign-in failed: ${describe(error)}`, { error: true })));
  $('refresh').addEventListener('click', async () => {
    try {
      const result = await refresh(as);
      claims = result.claims ?? claims;
      render(as, claims);
      show(result.rotated ? 'Tokens refreshed; the refresh token rotated.' : 'Tokens refreshed.');
    } catch (error) {
      show(`Refresh failed: ${describe(error)}`, { error: true });
    }
  });
  $('sign-out').addEventListener('click', () => signOut(as));

  const here = new URL(location.href);
  const logoutState = sessionStorage.getItem(LOGOUT_STATE);
  if (here.searchParams.has('code') || here.searchParams.has('error')) {
    try {
      claims = await completeSignIn(as, here);
      render(as, claims);
      show('Signed in.');
      await loadUserinfo(as, claims);
    } catch (error) {
      tokens = undefined;
      render(as);
      show(`Sign-in failed: ${describe(error)}`, { error: true });
    }
    return;
  }
  if (here.searchParams.has('state') && logoutState !== null) {
    sessionStorage.removeItem(LOGOUT_STATE);
    history.replaceState(null, '', redirectUri);
    render(as);
    const ok = here.searchParams.get('state') === logoutState;
    show(ok ? 'Signed out.' : 'Signed out, but the state did not match this tab’s sign-out.', { error: !ok });
    return;
  }
  render(as);
  show('Not signed in.');
}

main().catch((error) => show(`The example could not start: ${describe(error)}`, { error: true }));

// OAuth 2.1 clients (draft-ietf-oauth-v2-1 §2): the applications that sign users in through
// /oauth/authorize and call /oauth/token. Public clients (browser and native apps) have no secret
// and rely on PKCE; confidential clients authenticate with a secret we keep only as a hash.
// Registered by an operator (`npm run admin -- clients create`) or by RFC 7591 dynamic
// registration; the port below is implemented by lib/store/oauth-clients.ts.

/** OAuth 2.1 §2.1: a confidential client can keep a secret; a public one cannot. */
export type ClientType = 'public' | 'confidential';

export const GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials'] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

/** RFC 7591 §2 `token_endpoint_auth_method`: `none` for public clients, a secret for confidential ones. */
export const CLIENT_AUTH_METHODS = ['none', 'client_secret_basic', 'client_secret_post'] as const;
export type ClientAuthMethod = (typeof CLIENT_AUTH_METHODS)[number];

/**
 * The OpenID Connect scopes we serve (OIDC Core §3.1.2.1 `openid`, §5.4 `profile` and `email`); a
 * client may also be allowed scopes of its own APIs, which only go into its access tokens. Refresh
 * tokens go to clients allowed the refresh_token grant, so `offline_access` is not needed.
 */
export const OIDC_SCOPES = ['openid', 'profile', 'email'] as const;

export interface OAuthClient {
  /** Public and unguessable-enough to be unique: `c_` + 22 base64url characters. */
  clientId: string;
  /** Shown on the consent page and in the admin CLI (RFC 7591 `client_name`). */
  name: string;
  type: ClientType;
  /** `none` exactly when the client is public. */
  tokenEndpointAuthMethod: ClientAuthMethod;
  /** SHA-256 (hex) of the client secret; only confidential clients have one. The secret is shown once. */
  secretHash?: string;
  /** Exact-match redirect URIs (OAuth 2.1 §2.3.1); loopback ones match on any port (RFC 8252 §7.3). */
  redirectUris: string[];
  /** Where RP-initiated logout may send the browser back (OpenID RP-Initiated Logout 1.0 §2). */
  postLogoutRedirectUris: string[];
  /** The scopes the client may ask for. */
  scopes: string[];
  grantTypes: GrantType[];
  /** First-party clients get no consent screen; third-party ones ask once per scope set. */
  firstParty: boolean;
  /** RFC 8707 resource indicators: the audiences client_credentials tokens may be issued for. */
  resources: string[];
  /** Who registered it: an operator, or RFC 7591 dynamic registration (always third-party). */
  registeredBy: 'admin' | 'dynamic';
  /** RFC 7591 `client_uri`, shown on the consent page when set. */
  clientUri?: string;
  /** Epoch milliseconds. */
  createdAt: number;
  /** Epoch milliseconds; also the optimistic-concurrency token of updates. */
  updatedAt: number;
}

export interface OAuthClientStore {
  /** Stores a new client (and its CORS origins) in one transaction; ConflictError if the id exists. */
  create(client: OAuthClient): Promise<void>;
  get(clientId: string): Promise<OAuthClient | undefined>;
  /** Every client, oldest first. */
  list(): Promise<OAuthClient[]>;
  /**
   * Replaces a client (and its CORS origins) in one transaction, on the condition that it is still
   * at `expectedUpdatedAt`; ConflictError when another update won, NotFoundError when it is gone.
   */
  update(client: OAuthClient, expectedUpdatedAt: number): Promise<void>;
  /** Deletes a client and its CORS origins; false when there was none. */
  delete(clientId: string): Promise<boolean>;
  /** Whether `origin` is the origin of a redirect URI of some registered client (CORS on /oauth/token, userinfo, revoke). */
  isClientOrigin(origin: string): Promise<boolean>;
}

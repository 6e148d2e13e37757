// A pending authorization request: what /oauth/authorize validated and must finish once the user
// has signed in (/oauth/login) or consented (/oauth/consent). Kept server-side under a random id
// (only the id travels in the login page's URL), for at most ten minutes; implemented by
// lib/store/authorization-requests.ts.

/** OIDC Core §3.1.2.1 `prompt` values we support. */
export const PROMPT_VALUES = ['none', 'login', 'consent'] as const;
export type Prompt = (typeof PROMPT_VALUES)[number];

/** The validated parameters of an authorization request (OAuth 2.1 §4.1.1, OIDC Core §3.1.2.1). */
export interface AuthorizationParameters {
  clientId: string;
  /** Exactly as sent: the token endpoint compares it (OAuth 2.1 §4.1.3). */
  redirectUri: string;
  scopes: string[];
  state?: string;
  nonce?: string;
  /** RFC 7636 S256 challenge. */
  codeChallenge: string;
  prompt: Prompt[];
  /** Seconds (OIDC Core §3.1.2.1 max_age). */
  maxAge?: number;
  loginHint?: string;
  /**
   * OIDC Core §3.1.2.1 acr_values we know (ACR_VALUES), in the client's order of preference;
   * unknown values are dropped (acr is a voluntary claim there).
   */
  acrValues?: string[];
}

export interface AuthorizationRequest extends AuthorizationParameters {
  /** Random, 256 bits, base64url. */
  requestId: string;
  /** Epoch milliseconds. */
  createdAt: number;
  /** Epoch seconds; also the TTL attribute. */
  expiresAt: number;
}

/** How long a user may take to sign in and consent. */
export const AUTHORIZATION_REQUEST_TTL_SECONDS = 600;

export interface AuthorizationRequestStore {
  create(request: AuthorizationRequest): Promise<void>;
  /** The request by id (consistent read); expiry is the caller's to check. */
  get(requestId: string): Promise<AuthorizationRequest | undefined>;
  /** Forgets the request once it has been answered, so it cannot be answered twice. False when it was already gone. */
  delete(requestId: string): Promise<boolean>;
}

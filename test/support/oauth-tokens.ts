// OAuth clients and authorization codes written straight through the stores (as the admin CLI and
// /oauth/authorize will), for tests of the token side that must not depend on those parts.
import { randomUUID } from 'node:crypto';
import type { AuthorizationCode } from '../../lib/domain/authorization-code.ts';
import type { OAuthClient } from '../../lib/domain/oauth-client.ts';
import { toEpochSeconds } from '../../lib/support/clock.ts';
import { clientSecretHash } from '../../lib/tokens/client-secrets.ts';
import { randomSecret, sha256 } from '../../lib/tokens/opaque.ts';
import type { Dependencies } from '../../lib/wiring/dependencies.ts';
import { pkce, storedClient as registeredClient } from './oauth.ts';

export const REDIRECT_URI = 'https://app.example.com/callback';

export interface TestClient {
  client: OAuthClient;
  /** The secret, for a confidential client. */
  secret?: string;
}

/** Registers a client; confidential (client_secret_basic) and first-party unless `overrides` say otherwise. */
export async function storedClient(deps: Pick<Dependencies, 'oauthClients'>, overrides: Partial<OAuthClient> = {}): Promise<TestClient> {
  const secret = randomSecret();
  const type = overrides.type ?? 'confidential';
  const client = await registeredClient(deps, {
    type,
    tokenEndpointAuthMethod: type === 'public' ? 'none' : 'client_secret_basic',
    ...(type === 'public' ? {} : { secretHash: clientSecretHash(secret) }),
    redirectUris: [REDIRECT_URI],
    postLogoutRedirectUris: [],
    scopes: ['openid', 'profile', 'email', 'reports:read'],
    firstParty: true,
    ...overrides,
  });
  return { client, ...(client.secretHash ? { secret } : {}) };
}

/** RFC 7636 §4.1 / §4.2: a fresh verifier and its S256 challenge. */
export const pkcePair = pkce;

export interface IssuedCode {
  code: string;
  verifier: string;
  record: AuthorizationCode;
}

/** An authorization code as /oauth/authorize would issue it after a password sign-in. */
export async function storedCode(
  deps: Pick<Dependencies, 'authorizationCodes' | 'clock' | 'config'>,
  clientId: string,
  userId: string,
  overrides: Partial<AuthorizationCode> = {},
): Promise<IssuedCode> {
  const code = randomSecret();
  const { verifier, challenge } = pkcePair();
  const now = deps.clock.now();
  const record: AuthorizationCode = {
    codeHash: sha256(code),
    clientId,
    userId,
    redirectUri: REDIRECT_URI,
    codeChallenge: challenge,
    scopes: ['openid', 'profile', 'email'],
    nonce: `n-${randomUUID()}`,
    authTime: toEpochSeconds(now) - 5,
    amr: ['pwd'],
    browserSessionId: randomUUID(),
    createdAt: now,
    expiresAt: toEpochSeconds(now) + deps.config.oauth.authorizationCodeTtlSeconds,
    ...overrides,
  };
  await deps.authorizationCodes.create(record);
  return { code, verifier, record };
}

// GET /.well-known/openid-configuration: discovery for JWT consumers (e.g. API Gateway's JWT authorizer).
import { getConfig } from '../lib/config/all.ts';
import { implement, serve } from '../lib/http/endpoint.ts';
import { json } from '../lib/http/response.ts';
import { openidConfiguration, openidConfigurationLambda } from '../lib/routes/native/discovery.ts';
import { SIGNING_ALG } from '../lib/tokens/signing-alg.ts';

const config = getConfig();

export const handler = serve(openidConfigurationLambda, [
  implement(openidConfiguration, async () =>
    json(
      200,
      {
        issuer: config.issuer,
        jwks_uri: `${config.publicUrl}/.well-known/jwks.json`,
        // Only what applies: we issue access tokens (RFC 9068) from /login, not OAuth/OIDC flows.
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: [SIGNING_ALG],
        claims_supported: ['iss', 'sub', 'aud', 'exp', 'iat', 'nbf', 'jti', 'client_id', 'username', 'email', 'email_verified', 'permissions'],
      },
      { 'cache-control': 'public, max-age=3600' },
    ),
  ),
]);

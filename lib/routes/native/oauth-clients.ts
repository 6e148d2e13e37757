// OAuth client registration (RFC 7591): declaration and the request's documented shape. The
// metadata is checked by the registry's use case, which answers invalid_client_metadata or
// invalid_redirect_uri (RFC 7591 §3.2.2) rather than a generic validation error.
import * as z from 'zod/mini';
import { type LambdaDeclaration, operation } from '../../http/declaration.ts';
import { oauthError } from '../../http/oauth-errors.ts';

/** RFC 7591 §2 client metadata we read; anything else is ignored, as §2 requires. */
export const clientRegistrationSchema = z.looseObject({
  redirect_uris: z.optional(z.array(z.string())),
  client_name: z.optional(z.string()),
  token_endpoint_auth_method: z.optional(z.enum(['none', 'client_secret_basic', 'client_secret_post'])),
  grant_types: z.optional(z.array(z.enum(['authorization_code', 'refresh_token']))),
  response_types: z.optional(z.array(z.literal('code'))),
  scope: z.optional(z.string()),
  post_logout_redirect_uris: z.optional(z.array(z.string())),
  client_uri: z.optional(z.string()),
  id_token_signed_response_alg: z.optional(z.literal('RS256')),
});

const clientInformationSchema = {
  type: 'object',
  required: ['client_id', 'client_id_issued_at', 'redirect_uris', 'token_endpoint_auth_method', 'grant_types', 'response_types', 'scope'],
  properties: {
    client_id: { type: 'string' },
    client_secret: { type: 'string', description: 'Only for confidential clients, shown only in this answer.' },
    client_id_issued_at: { type: 'integer' },
    client_secret_expires_at: { type: 'integer', description: '0: the secret does not expire.' },
    client_name: { type: 'string' },
    redirect_uris: { type: 'array', items: { type: 'string' } },
    post_logout_redirect_uris: { type: 'array', items: { type: 'string' } },
    token_endpoint_auth_method: { type: 'string' },
    grant_types: { type: 'array', items: { type: 'string' } },
    response_types: { type: 'array', items: { type: 'string' } },
    scope: { type: 'string' },
    client_uri: { type: 'string' },
  },
};

export const oauthRegister = operation({
  method: 'POST',
  path: '/oauth/register',
  tag: 'OAuth and OpenID Connect',
  summary:
    'RFC 7591 dynamic client registration (OAUTH_DYNAMIC_REGISTRATION: off = 404, token = initial access token as Bearer, open); answers the client information.',
  request: clientRegistrationSchema,
  validatedBy: 'use-case',
  example: { client_name: 'My app', redirect_uris: ['https://app.example.com/callback'], token_endpoint_auth_method: 'none' },
  auth: 'none',
  guard: 'register',
  success: { status: 201, body: clientInformationSchema },
});

export const oauthRegisterLambda: LambdaDeclaration = {
  name: 'oauthRegister',
  file: 'oauth-register',
  httpApiPaths: ['/oauth/register'],
  dialect: 'oauth',
  errors: oauthError,
  operations: [oauthRegister],
};

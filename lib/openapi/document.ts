// The OpenAPI 3.1 description of every route, native and compatibility, built at run time from the
// very zod schemas that validate requests (so it cannot drift from the code) plus the response
// shapes in ./schemas.ts. Served at GET /openapi.json and rendered at GET /docs.
import * as z from 'zod/mini';
import type { Dependencies } from '../app.ts';
import { eclecticIqRoutes } from '../compat/eclecticiq.ts';
import { miniSassRoutes } from '../compat/minisass.ts';
import { opentactRoutes } from '../compat/opentact.ts';
import { tcapRoutes } from '../compat/tcap.ts';
import type { Config } from '../config/all.ts';
import type { RouteSpec } from '../http/router.ts';
import { introspectSchema } from '../use-cases/introspect.ts';
import { apiTokenSchemas } from '../use-cases/api-tokens.ts';
import { verifyEmailSchema, resendSchema } from '../use-cases/email-verification.ts';
import { loginSchema } from '../use-cases/login.ts';
import { logoutSchema } from '../use-cases/logout.ts';
import { forgotPasswordSchema, resetPasswordSchema } from '../use-cases/password-reset.ts';
import { registerSchema } from '../use-cases/register.ts';
import { serviceTokenSchema } from '../use-cases/service-token.ts';
import { refreshSchema } from '../use-cases/sessions.ts';
import { COMPONENT_SCHEMAS } from './schemas.ts';

type Auth = 'bearer' | 'basic' | 'password' | 'service';
type Json = Record<string, unknown>;

interface Operation {
  method: string;
  path: string;
  summary: string;
  tag: string;
  request?: z.ZodMiniType;
  example?: Json;
  auth?: Auth;
  /** Status → component schema name (or an inline schema). */
  ok: [number, string | Json];
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** The JSON Schema of a request body, from the zod schema that validates it. */
function bodySchema(schema: z.ZodMiniType): Json {
  const { $schema: _drop, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  return json;
}

const SECURITY: Record<Auth, Json[]> = {
  bearer: [{ bearerAuth: [] }, { xAuthToken: [] }],
  basic: [{ basicAuth: [] }, { xAuthToken: [] }],
  password: [],
  service: [{ serviceToken: [] }],
};

function nativeOperations(config: Config): Operation[] {
  const tokens = apiTokenSchemas(config);
  const user = { type: 'object', properties: { user: ref('User') } };
  return [
    { method: 'post', path: '/register', tag: 'Accounts', summary: 'Create an account; a confirmation link is mailed.', request: registerSchema(config.requiredProfileFields), example: { username: 'jane', email: 'jane@example.com', password: 'correct horse battery staple' }, ok: [201, user] },
    { method: 'post', path: '/login', tag: 'Sessions', summary: 'Log in with {username | email, password} or HTTP Basic.', request: loginSchema, example: { username: 'jane', password: 'correct horse battery staple' }, auth: 'password', ok: [200, { allOf: [ref('SessionTokens'), user] }] },
    { method: 'get', path: '/me', tag: 'Accounts', summary: 'The account behind the token.', auth: 'bearer', ok: [200, { type: 'object', properties: { is_authenticated: { const: true }, user: ref('User') } }] },
    { method: 'post', path: '/refresh', tag: 'Sessions', summary: 'Rotate a refresh token: new access and refresh tokens; a reused token ends the session.', request: refreshSchema, ok: [200, 'SessionTokens'] },
    { method: 'post', path: '/logout', tag: 'Sessions', summary: 'End the session of the access token (and of refresh_token, if sent).', request: logoutSchema, auth: 'bearer', ok: [204, ''] },
    { method: 'post', path: '/logout/all', tag: 'Sessions', summary: 'End every session of the user.', auth: 'bearer', ok: [204, ''] },
    { method: 'post', path: '/service-token', tag: 'Service tokens', summary: 'A 5-minute token for one downstream service, by access token or by password.', request: serviceTokenSchema, example: { requested_service: 'Hash Verification' }, auth: 'bearer', ok: [200, 'ServiceToken'] },
    { method: 'post', path: '/introspect', tag: 'Service tokens', summary: 'RFC 7662 introspection, for services (authenticate with a service token).', request: introspectSchema, auth: 'service', ok: [200, 'Introspection'] },
    { method: 'get', path: '/tokens', tag: 'API tokens', summary: 'Your API tokens, newest first, without secrets.', auth: 'bearer', ok: [200, { type: 'object', properties: { tokens: { type: 'array', items: ref('ApiToken') } } }] },
    { method: 'post', path: '/tokens', tag: 'API tokens', summary: 'Create an API token; the secret appears only in this answer.', request: tokens.create, example: { name: 'CI deploys', ttl: 86400 }, auth: 'bearer', ok: [201, { allOf: [ref('ApiToken'), { type: 'object', properties: { token: { type: 'string' } } }] }] },
    { method: 'delete', path: '/tokens', tag: 'API tokens', summary: 'Delete all your API tokens.', auth: 'bearer', ok: [204, ''] },
    { method: 'get', path: '/tokens/{id}', tag: 'API tokens', summary: 'One of your API tokens.', auth: 'bearer', ok: [200, 'ApiToken'] },
    { method: 'patch', path: '/tokens/{id}', tag: 'API tokens', summary: 'Rename and/or renew an API token (a new ttl counts from now).', request: tokens.update, auth: 'bearer', ok: [200, 'ApiToken'] },
    { method: 'delete', path: '/tokens/{id}', tag: 'API tokens', summary: 'Delete an API token.', auth: 'bearer', ok: [204, ''] },
    { method: 'post', path: '/password/forgot', tag: 'Password and email', summary: 'Mail a reset link; the same 202 whether or not the address has an account.', request: forgotPasswordSchema, example: { email: 'jane@example.com' }, ok: [202, 'Message'] },
    { method: 'post', path: '/password/reset', tag: 'Password and email', summary: 'Set a new password with the token from a reset link; ends every session and API token.', request: resetPasswordSchema, ok: [200, 'Message'] },
    { method: 'post', path: '/email/verify', tag: 'Password and email', summary: 'Confirm an email address with the token from the link.', request: verifyEmailSchema, ok: [200, { type: 'object', properties: { email_verified: { const: true }, user: ref('User') } }] },
    { method: 'post', path: '/email/verify/resend', tag: 'Password and email', summary: 'Another confirmation link (at most once a minute): for the logged-in user, or for {email} without a token (the same 202 whether or not the address has an account).', request: resendSchema, example: { email: 'jane@example.com' }, ok: [202, 'Message'] },
    { method: 'get', path: '/whoami', tag: 'Authorizer', summary: 'Behind the Lambda authorizer: the context it passed on (403 from API Gateway when refused).', auth: 'bearer', ok: [200, { type: 'object', properties: { authorizer: { type: 'object', additionalProperties: { type: 'string' } } } }] },
    { method: 'get', path: '/.well-known/jwks.json', tag: 'Discovery', summary: 'The public signing keys.', ok: [200, { type: 'object', properties: { keys: { type: 'array', items: { type: 'object' } } } }] },
    { method: 'get', path: '/.well-known/openid-configuration', tag: 'Discovery', summary: 'OpenID Connect discovery document.', ok: [200, { type: 'object' }] },
    { method: 'get', path: '/openapi.json', tag: 'Discovery', summary: 'This document.', ok: [200, { type: 'object' }] },
  ];
}

/** The compatibility routes, from the same route tables the dialect Lambdas serve. */
function compatOperations(config: Config): Operation[] {
  // Building a route table only captures its dependencies; nothing runs until a request comes.
  const deps = { config } as Dependencies;
  const dialects: [string, RouteSpec[]][] = [
    ['TCAP', tcapRoutes(deps)],
    ['EclecticIQ', eclecticIqRoutes(deps)],
    ['Opentact', opentactRoutes(deps)],
    ['miniSASS', miniSassRoutes(deps)],
  ];
  return dialects.flatMap(([dialect, routes]) =>
    routes.map((route) => ({
      method: route.method.toLowerCase(),
      path: route.path,
      tag: `Compatibility: ${dialect}`,
      summary: route.summary,
      ...(route.request ? { request: route.request } : {}),
      ...(route.auth ? { auth: route.auth } : {}),
      ok: [200, 'Any'] as [number, string],
    })),
  );
}

function operationObject(op: Operation): Json {
  const [status, schema] = op.ok;
  const success = status === 204 || schema === '' ? { description: 'Done; no body.' } : {
    description: 'Success.',
    content: { 'application/json': { schema: typeof schema === 'string' ? ref(schema) : schema } },
  };
  const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });
  const parameters = [...op.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
  return {
    summary: op.summary,
    tags: [op.tag],
    operationId: `${op.method}${op.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    ...(parameters.length ? { parameters } : {}),
    ...(op.auth ? { security: SECURITY[op.auth] } : { security: [] }),
    ...(op.request
      ? {
          requestBody: {
            required: true,
            content: Object.fromEntries(
              ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'].map((type) => [
                type,
                { schema: bodySchema(op.request!), ...(op.example && type === 'application/json' ? { example: op.example } : {}) },
              ]),
            ),
          },
        }
      : {}),
    responses: {
      [String(status)]: success,
      '400': problem('A field is missing, malformed or unknown; `errors` names each.'),
      ...(op.auth && op.auth !== 'password' ? { '401': problem('No token, or an invalid, expired or revoked one.') } : {}),
      ...(op.auth === 'password' ? { '401': problem('Wrong username/email or password.') } : {}),
      '503': problem('DynamoDB or SES is unavailable; retry after Retry-After.'),
    },
  };
}

export function buildOpenApiDocument(config: Config): Json {
  const paths: Record<string, Json> = {};
  for (const op of [...nativeOperations(config), ...compatOperations(config)]) {
    (paths[op.path] ??= {})[op.method] = operationObject(op);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: `${config.productName} API`,
      version: '1.0.0',
      description:
        'A serverless authentication service: accounts, sessions with rotating refresh tokens, service tokens, personal API tokens, password reset and email verification, plus compatibility routes for the TCAP, EclecticIQ, Opentact and miniSASS APIs. Every request body may be JSON, form-urlencoded or multipart. Errors are RFC 9457 problem+json (compatibility routes use their own documented envelopes).',
    },
    servers: [{ url: config.publicUrl }],
    tags: ['Accounts', 'Sessions', 'Service tokens', 'API tokens', 'Password and email', 'Authorizer', 'Discovery'].map((name) => ({ name })),
    paths,
    components: {
      schemas: COMPONENT_SCHEMAS,
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token (RS256 JWT) or a personal API token.' },
        xAuthToken: { type: 'apiKey', in: 'header', name: 'X-Auth-Token', description: 'The same tokens, in the X-Auth-Token header.' },
        basicAuth: { type: 'http', scheme: 'basic', description: 'email-or-username:password.' },
        serviceToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A service token from POST /service-token.' },
      },
    },
  };
}

// Discovery and documentation: keys, OpenID configuration, the OpenAPI document and its page,
// and the route behind the Lambda authorizer.
import { type LambdaDeclaration, operation } from '../../http/declaration.ts';

const TAG = 'Discovery';

export const jwks = operation({
  method: 'GET',
  path: '/.well-known/jwks.json',
  tag: TAG,
  summary: 'The public keys that verify our tokens (JWKS).',
  auth: 'none',
  success: { status: 200, body: { type: 'object', properties: { keys: { type: 'array', items: { type: 'object' } } } } },
});

export const openidConfiguration = operation({
  method: 'GET',
  path: '/.well-known/openid-configuration',
  tag: TAG,
  summary: 'OpenID Connect Discovery 1.0: the provider metadata (endpoints, scopes, grant types, PKCE methods, keys).',
  auth: 'none',
  success: { status: 200, body: { type: 'object' } },
});

export const oauthServerMetadata = operation({
  method: 'GET',
  path: '/.well-known/oauth-authorization-server',
  tag: TAG,
  summary: 'RFC 8414 authorization server metadata: the same document as /.well-known/openid-configuration.',
  auth: 'none',
  success: { status: 200, body: { type: 'object' } },
});

export const openapi = operation({
  method: 'GET',
  path: '/openapi.json',
  tag: TAG,
  summary: 'The OpenAPI 3.1 description of every route (this document).',
  auth: 'none',
  success: { status: 200, body: { type: 'object' } },
});

export const docsPage = operation({
  method: 'GET',
  path: '/docs',
  tag: TAG,
  summary: 'This API reference, rendered by Swagger UI.',
  auth: 'none',
  success: { status: 200, body: 'html' },
});

export const docsAsset = operation({
  method: 'GET',
  path: '/docs/{file}',
  tag: TAG,
  summary: 'The files of the reference page (Swagger UI scripts and styles).',
  auth: 'none',
  success: { status: 200, body: 'html' },
});

export const whoami = operation({
  method: 'GET',
  path: '/whoami',
  tag: 'Authorizer',
  summary: 'Behind the Lambda authorizer: the context it passed on for the bearer token (403 from API Gateway when refused).',
  auth: 'bearer',
  success: { status: 200, body: { type: 'object', properties: { authorizer: { type: 'object', additionalProperties: { type: 'string' } } } } },
});

export const jwksLambda: LambdaDeclaration = { name: 'jwks', file: 'jwks', httpApiPaths: ['/.well-known/jwks.json'], dialect: 'problem', operations: [jwks] };
export const openidConfigurationLambda: LambdaDeclaration = {
  name: 'openidConfiguration',
  file: 'openid-configuration',
  httpApiPaths: ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server'],
  dialect: 'problem',
  operations: [openidConfiguration, oauthServerMetadata],
};
export const openapiLambda: LambdaDeclaration = {
  name: 'openapi',
  file: 'openapi',
  httpApiPaths: ['/openapi.json'],
  dialect: 'problem',
  operations: [openapi],
};
export const docsLambda: LambdaDeclaration = {
  name: 'docs',
  file: 'docs',
  httpApiPaths: ['/docs', '/docs/{file}'],
  dialect: 'problem',
  operations: [docsPage, docsAsset],
};
export const whoamiLambda: LambdaDeclaration = {
  name: 'whoami',
  file: 'whoami',
  httpApiPaths: ['/whoami'],
  behindAuthorizer: true,
  dialect: 'problem',
  operations: [whoami],
};

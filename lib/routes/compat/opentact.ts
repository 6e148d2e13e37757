// Opentact (../shared/seeds/002): `GET /rest/auth` with HTTP Basic (or X-Auth-Token) and named API
// tokens under /rest/token, every answer in the {success, payload} envelope. Declarations and
// request schemas only; the handlers are in ./opentact-handlers.ts.
import { type LambdaDeclaration, operation } from '../../http/declaration.ts';
import { noFields } from '../fields.ts';
import { createApiToken, updateApiToken } from '../native/api-tokens.ts';
import { ANY_JSON } from '../responses.ts';
import { opentactError } from './envelopes.ts';

/** The native API-token bodies (POST /tokens, PATCH /tokens/{id}): API_TOKEN_MAX_TTL bounds ttl, so they are built at the first request. */
const createSchema = createApiToken.request!;
const updateSchema = updateApiToken.request!;

const TAG = 'Compatibility: Opentact';

export const opentactAuth = operation({
  method: 'GET',
  path: '/rest/auth',
  tag: TAG,
  summary: 'Authenticate with Authorization: Basic base64(email:password), or check an X-Auth-Token: the user and a JWT.',
  auth: 'basic',
  guard: 'password',
  // X-Auth-Token without Basic checks no password.
  bearerGuard: 'bearer',
  deviceProof: true,
  success: { status: 200, body: ANY_JSON },
});

export const opentactCreateToken = operation({
  method: 'POST',
  path: '/rest/token',
  tag: TAG,
  summary: 'Create a named API token {name, ttl (seconds, at least 60)}; the secret is shown only here.',
  request: createSchema,
  auth: 'bearer',
  success: { status: 200, body: ANY_JSON },
});

export const opentactListTokens = operation({
  method: 'GET',
  path: '/rest/token/list',
  tag: TAG,
  summary: "The caller's API tokens, newest first, without secrets.",
  auth: 'bearer',
  success: { status: 200, body: ANY_JSON },
});

/** Opentact documents renaming under both /rest/token/{uuid} and /token/{uuid}; one handler serves both. */
const rename = (path: '/rest/token/{uuid}' | '/token/{uuid}') =>
  operation({
    method: 'PATCH',
    path,
    tag: TAG,
    summary: 'Rename an API token or give it a new ttl (counted from now).',
    request: updateSchema,
    auth: 'bearer',
    success: { status: 200, body: ANY_JSON },
  });

export const opentactRenameToken = rename('/rest/token/{uuid}');
export const opentactRenameTokenShort = rename('/token/{uuid}');

export const opentactDeleteAllTokens = operation({
  method: 'DELETE',
  path: '/rest/token/all',
  tag: TAG,
  summary: "Delete all the caller's API tokens.",
  request: noFields,
  auth: 'bearer',
  success: { status: 200, body: ANY_JSON },
});

export const opentactDeleteToken = operation({
  method: 'DELETE',
  path: '/rest/token/{token}',
  tag: TAG,
  summary: 'Delete one API token, named by its value (as Opentact documents) or by its uuid.',
  request: noFields,
  auth: 'bearer',
  success: { status: 200, body: ANY_JSON },
});

export const opentactLambda: LambdaDeclaration = {
  name: 'compatOpentact',
  signsTokens: true,
  file: 'compat-opentact',
  httpApiPaths: ['/rest/{proxy+}', '/token/{proxy+}'],
  dialect: 'opentact',
  errors: opentactError,
  operations: [
    opentactAuth,
    opentactCreateToken,
    opentactListTokens,
    opentactRenameToken,
    opentactRenameTokenShort,
    opentactDeleteAllTokens,
    opentactDeleteToken,
  ],
};

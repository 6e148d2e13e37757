// The account's own data: its sessions (list, end one), its export (GDPR Art. 20) and its deletion
// (DELETE /me, declared on meLambda in ./accounts.ts). Declarations and request schemas.
import * as z from 'zod/mini';
import { type LambdaDeclaration, operation } from '../../http/declaration.ts';
import { MAX_PASSWORD_LENGTH } from '../../passwords/limits.ts';
import { textField } from '../fields.ts';

const TAG = 'Account';

/** The current password: bounded, named in 400s (its policy is not checked here: it is the one set). */
export const deleteAccountSchema = z.strictObject({
  password: textField('password').check(
    z.minLength(1, { error: 'This field must not be empty.' }),
    z.maxLength(MAX_PASSWORD_LENGTH * 4, { error: `Use at most ${MAX_PASSWORD_LENGTH} characters.` }),
  ),
});

const SESSION = {
  type: 'object',
  required: ['id', 'kind', 'created_at', 'last_used_at', 'expires_at', 'client', 'authentication', 'current'],
  properties: {
    id: { type: 'string' },
    kind: { type: 'string', enum: ['app', 'browser'] },
    created_at: { type: 'string', format: 'date-time' },
    last_used_at: { type: 'string', format: 'date-time' },
    expires_at: { type: 'string', format: 'date-time' },
    client: {
      type: 'object',
      properties: {
        type: { type: 'string', enum: ['native', 'hosted', 'tcap', 'eclecticiq', 'opentact', 'minisass', 'oauth'] },
        id: { type: 'string' },
        name: { type: 'string' },
      },
    },
    user_agent: { type: 'string' },
    ip_prefix: { type: 'string' },
    authentication: {
      type: 'object',
      properties: { amr: { type: 'array', items: { type: 'string' } }, acr: { type: 'string' }, auth_time: { type: 'integer' } },
    },
    current: { type: 'boolean' },
  },
};

export const listMySessions = operation({
  method: 'GET',
  path: '/me/sessions',
  tag: TAG,
  summary: 'Your live sessions (apps and hosted-page browsers), newest first; `current` marks the one of this token.',
  auth: 'bearer',
  success: { status: 200, body: { type: 'object', properties: { sessions: { type: 'array', items: SESSION } } } },
});

export const endMySession = operation({
  method: 'DELETE',
  path: '/me/sessions/{id}',
  tag: TAG,
  summary: 'End one of your sessions: its refresh tokens at once, its access tokens within a second. Unknown, ended or not yours: 404.',
  auth: 'bearer',
  success: { status: 204, body: 'none' },
});

export const exportMe = operation({
  method: 'GET',
  path: '/me/export',
  tag: TAG,
  summary: 'Your data as a JSON download (GDPR Art. 20): profile, sessions, API tokens and second factors (metadata), consents, security events.',
  auth: 'bearer',
  success: { status: 200, body: { type: 'object' } },
});

export const deleteMe = operation({
  method: 'DELETE',
  path: '/me',
  tag: TAG,
  summary:
    'Delete your account {password}: needs a recent sign-in (with your second factor when you have one). Frees the username and email, keeps only pseudonymised security events. A retry with the same token finishes an interrupted deletion.',
  request: deleteAccountSchema,
  example: { password: 'correct horse battery staple' },
  auth: 'bearer',
  guard: 'password',
  success: { status: 204, body: 'none' },
});

export const meSessionsLambda: LambdaDeclaration = {
  name: 'meSessions',
  file: 'me-sessions',
  httpApiPaths: ['/me/sessions'],
  dialect: 'problem',
  operations: [listMySessions],
};
export const meSessionLambda: LambdaDeclaration = {
  name: 'meSession',
  file: 'me-session',
  httpApiPaths: ['/me/sessions/{id}'],
  dialect: 'problem',
  operations: [endMySession],
};
export const meExportLambda: LambdaDeclaration = {
  name: 'meExport',
  file: 'me-export',
  httpApiPaths: ['/me/export'],
  dialect: 'problem',
  operations: [exportMe],
};

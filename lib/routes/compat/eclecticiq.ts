// EclecticIQ (../shared/seeds/001): POST /auth (also /api/auth) {username, password} →
// {expires_at, token}: a 30-minute JWT used as `Authorization: Bearer`. Declarations and request
// schemas only; the handler is in ./eclecticiq-handlers.ts. Errors are our problem+json (the default).
import * as z from 'zod/mini';
import { type LambdaDeclaration, operation } from '../../http/declaration.ts';
import { loginField } from '../fields.ts';
import { credentialFields } from '../native/sessions.ts';
import { ANY_JSON } from '../responses.ts';

export const authSchema = z.strictObject({ username: loginField('username'), password: credentialFields.password });

const TAG = 'Compatibility: EclecticIQ';
const SUMMARY = 'Log in with username (or email) and password: a Bearer token and when it expires.';

/** One operation per path EclecticIQ documents; both are served by the same handler. */
const auth = (path: '/auth' | '/api/auth') =>
  operation({
    method: 'POST',
    path,
    tag: TAG,
    summary: SUMMARY,
    request: authSchema,
    auth: 'password',
    guard: 'password',
    deviceProof: true,
    success: { status: 200, body: ANY_JSON },
  });

export const eclecticIqAuth = auth('/auth');
export const eclecticIqApiAuth = auth('/api/auth');

export const eclecticIqLambda: LambdaDeclaration = {
  name: 'compatEclecticiq',
  signsTokens: true,
  file: 'compat-eclecticiq',
  httpApiPaths: ['/auth', '/api/auth'],
  dialect: 'problem',
  operations: [eclecticIqAuth, eclecticIqApiAuth],
};

// TCAP (../shared/seeds/000): the short-lived service token, and the JWT login with its user.
// Declarations and request schemas only; the handlers are in ./tcap-handlers.ts.
import { type LambdaDeclaration, operation } from '../../http/declaration.ts';
import { ANY_JSON } from '../responses.ts';
import { drfBody, drfChar, drfLogin, drfPassword } from './drf-fields.ts';
import { tcapError } from './envelopes.ts';

// TCAP is a Django REST Framework service: bodies are read as its serializers read them
// (./drf-fields.ts): unknown keys ignored, absent, null and blank fields named in DRF's words.
export const tcapLoginSchema = drfBody({ username: drfLogin(), password: drfPassword() });

export const serviceLoginSchema = drfBody({
  username: drfLogin(),
  password: drfPassword(),
  requested_service: drfChar({ maxLength: 200 }),
});

const TAG = 'Compatibility: TCAP';

export const tcapServiceLogin = operation({
  method: 'POST',
  path: '/token-auth/api/login',
  tag: TAG,
  summary: 'A short-lived (5-minute) service token for requested_service, from username and password.',
  request: serviceLoginSchema,
  auth: 'password',
  guard: 'password',
  deviceProof: true,
  success: { status: 200, body: ANY_JSON },
});

export const tcapLogin = operation({
  method: 'POST',
  path: '/token-auth/tcap',
  tag: TAG,
  summary: 'Log in with username and password: a JWT access token and the user.',
  request: tcapLoginSchema,
  auth: 'password',
  guard: 'password',
  deviceProof: true,
  success: { status: 200, body: ANY_JSON },
});

/**
 * What a TCAP-style service sees: it accepts only its own service tokens, and answers an expired
 * one with 403 and TCAP's documented text. Useful to check a service token.
 */
export const tcapServiceWhoami = operation({
  method: 'GET',
  path: '/token-auth/api/services/{service}/whoami',
  tag: TAG,
  summary: 'Checks a service token as the named service would: 200 with the user, or 403 when it has expired.',
  auth: 'bearer',
  success: { status: 200, body: ANY_JSON },
});

export const tcapLambda: LambdaDeclaration = {
  name: 'compatTcap',
  signsTokens: true,
  file: 'compat-tcap',
  httpApiPaths: ['/token-auth/{proxy+}'],
  dialect: 'tcap',
  errors: tcapError,
  operations: [tcapServiceLogin, tcapLogin, tcapServiceWhoami],
};

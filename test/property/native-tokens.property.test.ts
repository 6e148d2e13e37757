// Property tests of the other native endpoints (the caller, introspection, API tokens, public
// documents, docs, the authorizer's route and the catch-all 404): every function of serverless.yml
// that native-accounts.property.test.ts does not cover.
import { endpointProperties } from './support/suite.ts';

const ACCOUNTS = ['register', 'login', 'refresh', 'logout', 'logoutAll', 'serviceToken', 'passwordForgot', 'passwordReset', 'emailVerify', 'emailVerifyResend'];

await endpointProperties('other native endpoints', (endpoint) => !endpoint.file.startsWith('compat-') && !ACCOUNTS.includes(endpoint.id));

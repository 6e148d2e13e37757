// Property tests of the native account endpoints (register, login, sessions, service tokens,
// password reset, email verification), invoked in-process against DynamoDB Local: whatever is sent,
// never a 5xx or a crash, always problem+json (or a page) with the security and CORS headers.
import { endpointProperties } from './support/suite.ts';

const ACCOUNTS = ['register', 'login', 'refresh', 'logout', 'logoutAll', 'serviceToken', 'passwordForgot', 'passwordReset', 'emailVerify', 'emailVerifyResend'];

await endpointProperties('native account endpoints', (endpoint) => ACCOUNTS.includes(endpoint.id));

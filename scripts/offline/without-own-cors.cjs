// Preloaded (`node --require`) into serverless-offline by scripts/local-stack.ts.
//
// When serverless.yml configures no CORS (ours does not: the Lambdas answer CORS themselves, from
// CORS_ORIGINS), deployed API Gateway passes every answer through untouched. serverless-offline
// instead adds, to every answer to a request with an Origin, `Access-Control-Allow-Origin: <that
// origin>` and `Access-Control-Allow-Credentials: true`: locally any site could read any answer,
// and the CORS allowlist could not be seen working. Its CORS emulation is one hapi onPreResponse
// extension; this leaves that one extension out, so the local stack answers as API Gateway does.
'use strict';

const { server } = require('@hapi/hapi');

const prototype = Object.getPrototypeOf(server());
const ext = prototype.ext;

/** serverless-offline's CORS extension, recognised by the header only it sets. */
function isOfflineCors(event, method) {
  return event === 'onPreResponse' && typeof method === 'function' && String(method).includes('access-control-allow-credentials');
}

prototype.ext = function extWithoutOfflineCors(event, method, options) {
  if (isOfflineCors(event, method)) return undefined;
  return ext.call(this, event, method, options);
};

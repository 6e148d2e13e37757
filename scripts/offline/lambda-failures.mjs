// Preloaded (`node --import`) into serverless-offline by scripts/offline/start-offline.ts.
//
// When a function throws, fails to initialise (its module throws at import) or times out,
// serverless-offline answers an HTTP API (payload 2.0) route with 200 and a body holding the error
// message and stack trace (src/events/http/HttpServer.js: the error becomes a result without a
// statusCode, which payload 2.0 wraps as a 200 answer). Deployed API Gateway never shows the
// function's error; this patch makes the local stack answer as AWS documents instead:
//  - a function error (thrown, failed init, crashed): 500 "Internal Server Error". AWS: "Troubleshooting
//    issues with HTTP API Lambda integrations" (docs.aws.amazon.com/apigateway/latest/developerguide/
//    http-api-troubleshooting-lambda.html), where such an API answers {"message":"Internal Server Error"}.
//  - a timeout: 504 "Gateway Timeout". AWS: "How do I troubleshoot HTTP 504 errors from API Gateway?"
//    (repost.aws/knowledge-center/api-gateway-504-errors): an integration that takes longer than the
//    integration timeout is answered 504. (Deployed, a function whose own timeout is shorter than the
//    HTTP API's 30 s integration timeout ends with a function error instead, answered 500; locally the
//    two cannot be told apart, and 504 says more to whoever reads the answer.)
// The body is problem+json like the service's own errors, and names nothing from the function:
// the error and its stack stay in the local stack's log, as they would stay in CloudWatch.
//
// It wraps LambdaFunction.prototype.runHandler, which every caller goes through, and turns a failure
// into an answer only for HTTP API requests: an authorizer's failure, a direct invocation on the
// Lambda port and the other event sources keep serverless-offline's own handling.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';

/** The answers API Gateway gives, as problem+json (the same shape as lib/http/problem.ts). */
const FAILURES = {
  error: {
    status: 500,
    title: 'Internal Server Error',
    code: 'internal_error',
    detail: 'The function failed before it could answer; the local stack log shows why.',
  },
  timeout: {
    status: 504,
    title: 'Gateway Timeout',
    code: 'gateway_timeout',
    detail: 'The function did not answer within its timeout.',
  },
};

function answer({ status, title, code, detail }) {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8' },
    body: JSON.stringify({ type: `urn:auth-service:problem:${code}`, title, status, code, detail }),
  };
}

/** An HTTP API route's event (payload 2.0); an authorizer's event of the same version has a `type`. */
function isHttpApiRequest(event) {
  return event?.version === '2.0' && typeof event.routeKey === 'string' && event.requestContext?.http !== undefined && event.type === undefined;
}

async function patch() {
  // The same module instances serverless-offline loads (one URL, one module), reached by file URL
  // because the package's exports map hides them.
  const require = createRequire(import.meta.url);
  const source = dirname(require.resolve('serverless-offline'));
  const load = (path) => import(pathToFileURL(join(source, path)).href);
  const [{ default: LambdaFunction }, { LambdaTimeoutError }] = await Promise.all([load('lambda/LambdaFunction.js'), load('errors/index.js')]);
  if (typeof LambdaFunction?.prototype?.runHandler !== 'function' || typeof LambdaTimeoutError !== 'function') {
    throw new Error('serverless-offline changed: scripts/offline/lambda-failures.mjs no longer finds LambdaFunction.runHandler');
  }

  // runHandler reads the event that setEvent stored in a private field; keep our own reference to it.
  const events = new WeakMap();
  const { setEvent, runHandler } = LambdaFunction.prototype;
  LambdaFunction.prototype.setEvent = function setEventSeen(event) {
    events.set(this, event);
    return setEvent.call(this, event);
  };
  LambdaFunction.prototype.runHandler = async function runHandlerAsApiGateway() {
    const event = events.get(this);
    try {
      return await runHandler.call(this);
    } catch (error) {
      if (!isHttpApiRequest(event)) throw error;
      const failure = error instanceof LambdaTimeoutError ? FAILURES.timeout : FAILURES.error;
      // serverless-offline has logged a thrown error with its stack already, but not a timeout.
      process.stderr.write(
        `× (λ: ${this.functionName}) ${failure === FAILURES.timeout ? 'timed out' : 'failed'}; answered ${failure.status} as API Gateway would\n`,
      );
      return answer(failure);
    }
  };
}

// Worker threads (where serverless-offline runs the handlers) inherit the preload; only the main
// thread runs the HTTP server.
if (isMainThread) await patch();

// Puts the request id and route into every log line written while the request runs (use cases
// included), and clears them when it ends, answered or failed.
import type { MiddlewareObj } from '@middy/core';
import { clearLogContext, setLogContext } from '../../support/log.ts';
import type { HttpEvent, HttpResult } from '../types.ts';

export function requestLogContext(): MiddlewareObj<HttpEvent, HttpResult> {
  return {
    name: 'request-log-context',
    before: (request) => {
      setLogContext({ requestId: request.context?.awsRequestId, route: request.event.routeKey });
    },
    after: () => clearLogContext(),
    onError: () => clearLogContext(),
  };
}

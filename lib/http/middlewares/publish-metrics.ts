// Ends every request by writing the metrics its use cases counted (lib/support/metrics.ts) as one
// EMF line, and counts a 5xx answer for this function's alarm, whichever middleware rendered it.
import type { MiddlewareObj } from '@middy/core';
import { countServerError, publishMetrics } from '../../support/metrics.ts';
import type { HttpEvent, HttpResult } from '../types.ts';

function finish(response: HttpResult | undefined): void {
  if (!response || response.statusCode >= 500) countServerError();
  publishMetrics();
}

export function publishRequestMetrics(): MiddlewareObj<HttpEvent, HttpResult> {
  return {
    name: 'publish-metrics',
    after: (request) => finish(request.response ?? undefined),
    onError: (request) => finish(request.response ?? undefined),
  };
}

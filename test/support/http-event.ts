// Builds API Gateway HTTP API (payload 2.0) events for unit tests of the HTTP plumbing.
import type { HttpEvent } from '../../lib/http/types.ts';

export function httpEvent(options: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer; base64?: boolean }): HttpEvent {
  const method = options.method ?? 'POST';
  const path = options.path ?? '/test';
  const body = options.body;
  const base64 = options.base64 ?? Buffer.isBuffer(body);
  return {
    version: '2.0',
    routeKey: `ANY ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers: options.headers ?? {},
    isBase64Encoded: base64,
    body: body === undefined ? undefined : Buffer.isBuffer(body) ? body.toString('base64') : base64 ? Buffer.from(body).toString('base64') : body,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: 'req-1',
      routeKey: `ANY ${path}`,
      stage: '$default',
      time: '',
      timeEpoch: 0,
    },
  } as HttpEvent;
}

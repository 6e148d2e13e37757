// Turns a generated request into the event API Gateway (HTTP API, payload 2.0) would hand the Lambda.
import type { Context } from 'aws-lambda';
import type { HttpEvent } from '../../../lib/http/types.ts';
import type { GeneratedRequest } from './arbitraries.ts';

export const context = { awsRequestId: 'property-test', functionName: 'property-test' } as Context;

/** Query strings as API Gateway spells them (repeated names are joined with commas there). */
function rawQuery(query: Record<string, string> | undefined): string {
  if (!query) return '';
  return Object.entries(query)
    .map(([k, v]) => `${Buffer.from(k).toString('latin1')}=${encodeURIComponent(v.replace(/[\uD800-\uDFFF]/g, '\uFFFD'))}`)
    .join('&');
}

export function toEvent(request: GeneratedRequest, routeKey = `ANY ${request.path}`): HttpEvent {
  return {
    version: '2.0',
    routeKey,
    rawPath: request.path,
    rawQueryString: rawQuery(request.query),
    headers: { ...request.headers },
    ...(request.query ? { queryStringParameters: { ...request.query } } : {}),
    ...(request.pathParameters ? { pathParameters: { ...request.pathParameters } } : {}),
    isBase64Encoded: request.isBase64Encoded,
    ...(request.body !== undefined ? { body: request.body } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method: request.method, path: request.path, protocol: 'HTTP/1.1', sourceIp: request.sourceIp, userAgent: 'fast-check' },
      requestId: 'property-test',
      routeKey,
      stage: '$default',
      time: '',
      timeEpoch: 0,
    },
  } as HttpEvent;
}

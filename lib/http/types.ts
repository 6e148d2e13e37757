// The event and result types every HTTP handler sees (API Gateway HTTP API, payload format 2.0).
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';

export interface HttpEvent extends APIGatewayProxyEventV2 {
  /** Set by the parse-body middleware: the JSON, urlencoded or multipart body as a plain object. */
  parsedBody?: Record<string, unknown>;
}

export type HttpResult = APIGatewayProxyStructuredResultV2 & {
  statusCode: number;
  headers: Record<string, string>;
};

export type HttpHandler = (event: HttpEvent, context: Context) => Promise<HttpResult>;

/** A check run before a route's handler (after the method check, before body parsing); it throws to refuse. */
export type Guard = (event: HttpEvent) => Promise<void>;

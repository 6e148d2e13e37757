// Parses the body of POST / PUT / PATCH / DELETE (JSON, urlencoded, multipart) into
// event.parsedBody with lib/http/parse-body.ts; other methods get no parsedBody.
import type { MiddlewareObj } from '@middy/core';
import { parseBody as parse } from '../parse-body.ts';
import type { HttpEvent, HttpResult } from '../types.ts';
import { requestMethod } from './method-check.ts';

export const BODY_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function parseBody(): MiddlewareObj<HttpEvent, HttpResult> {
  return {
    name: 'parse-body',
    before: async (request) => {
      if (BODY_METHODS.has(requestMethod(request.event))) request.event.parsedBody = await parse(request.event);
    },
  };
}

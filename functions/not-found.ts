// The catch-all route: any path no other function serves gets a problem+json 404.
import { NotFoundError } from '../lib/domain/errors.ts';
import { secure } from '../lib/http/middlewares/security-headers.ts';
import { errorResponse } from '../lib/http/problem.ts';
import type { HttpEvent, HttpResult } from '../lib/http/types.ts';

export const handler = async (event: HttpEvent): Promise<HttpResult> =>
  secure(errorResponse(new NotFoundError(`No route for ${event.requestContext?.http?.method} ${event.rawPath}.`)));

// A small router for Lambdas that serve several paths (the compatibility dialects): matches method
// and path (with {params}, with or without a trailing slash), answers OPTIONS with the allowed
// methods and what each does, and otherwise the shared middleware stack (./middlewares/stack.ts).
import type { Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { NotFoundError } from '../domain/errors.ts';
import type { OriginCheck } from './cors.ts';
import type { Method } from './declaration.ts';
import type { ErrorPage } from './middlewares/page-errors.ts';
import { httpStack } from './middlewares/stack.ts';
import type { ErrorRenderer } from './problem.ts';
import type { Guard, HttpEvent, HttpResult } from './types.ts';

export interface RouteSpec {
  method: Method;
  /** A path template such as `/rest/token/{uuid}`. */
  path: string;
  /** One sentence; OPTIONS shows it, and the OpenAPI document uses it. */
  summary: string;
  /** The schema the body is validated with, for the OpenAPI document. */
  request?: z.ZodMiniType;
  /** How the caller authenticates, for the OpenAPI document. */
  auth?: 'bearer' | 'basic' | 'password';
  /** Runs before `handle` (after the method check, before body parsing), e.g. the per-IP login budget. */
  guard?: Guard;
  handle(event: HttpEvent, params: Record<string, string>): Promise<HttpResult>;
}

interface CompiledRoute extends RouteSpec {
  pattern: RegExp;
  names: string[];
}

interface Resolution {
  candidates: { route: CompiledRoute; params: Record<string, string> }[];
  chosen: { route: CompiledRoute; params: Record<string, string> } | undefined;
}

function compile(spec: RouteSpec): CompiledRoute {
  const names: string[] = [];
  const source = spec.path
    .replace(/\/$/, '')
    .split('/')
    .map((segment) => {
      const param = segment.match(/^\{(\w+)\}$/);
      if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(param[1]!);
      return '([^/]+)';
    })
    .join('/');
  return { ...spec, names, pattern: new RegExp(`^${source}/?$`) };
}

/** A percent-decoded path segment; a malformed escape stays as sent (it then matches nothing). */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The routes whose path matches, with the path parameters of each. */
function matching(routes: CompiledRoute[], path: string): { route: CompiledRoute; params: Record<string, string> }[] {
  return routes.flatMap((route) => {
    const match = route.pattern.exec(path);
    if (!match) return [];
    const params = Object.fromEntries(route.names.map((name, i) => [name, decodeSegment(match[i + 1]!)]));
    return [{ route, params }];
  });
}

export interface RouterOptions {
  errors?: ErrorRenderer;
  /** When false, every path answers 404 (a dialect switched off by ENABLED_DIALECTS). */
  enabled?: boolean;
  /** For hosted pages: the page that shows a handler's error to a browser (lib/http/middlewares/page-errors.ts). */
  errorPage?: ErrorPage;
  /** Allows CORS origins beyond CORS_ORIGINS request by request (lib/http/cors.ts). */
  originCheck?: OriginCheck;
}

export function httpRouter(specs: RouteSpec[], options: RouterOptions = {}): (event: HttpEvent, context: Context) => Promise<HttpResult> {
  const routes = specs.map(compile);
  // Each step (method check, OPTIONS, guard, handler) asks for the match; it is made once per request.
  const resolved = new WeakMap<HttpEvent, Resolution>();

  /** The routes matching the path (404 if none), and the one for the method, if any. */
  function resolve(event: HttpEvent): Resolution {
    const known = resolved.get(event);
    if (known) return known;
    const path = event.rawPath ?? event.requestContext?.http?.path ?? '/';
    const candidates = options.enabled === false ? [] : matching(routes, path);
    if (!candidates.length) throw new NotFoundError(`No route for ${event.requestContext?.http?.method} ${path}.`);
    const method = event.requestContext?.http?.method?.toUpperCase() ?? 'GET';
    const resolution = { candidates, chosen: candidates.find((c) => c.route.method === method) };
    resolved.set(event, resolution);
    return resolution;
  }

  return httpStack(
    {
      describe: (event) => {
        const { candidates } = resolve(event);
        return {
          path: candidates[0]!.route.path,
          methods: [...new Set(candidates.map((c) => c.route.method))],
          summary: candidates.length === 1 ? candidates[0]!.route.summary : candidates.map((c) => `${c.route.method}: ${c.route.summary}`).join(' '),
        };
      },
      // The matched operation's own guard, whatever its method (Opentact's GET /rest/auth logs in).
      guard: (event) => resolve(event).chosen?.route.guard,
      ...(options.errors ? { errors: options.errors } : {}),
      ...(options.errorPage ? { errorPage: options.errorPage } : {}),
      ...(options.originCheck ? { originCheck: options.originCheck } : {}),
    },
    async (event) => {
      const { chosen } = resolve(event);
      return chosen!.route.handle(event, chosen!.params);
    },
  );
}

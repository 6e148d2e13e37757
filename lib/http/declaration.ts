// What a route declaration says: everything about one endpoint that the handler, the router, the
// OPTIONS answer, the OpenAPI document, serverless.yml's check and the property tests read. The
// declarations themselves live in lib/routes/ (one per endpoint); this file only gives their shape,
// so that lib/http can serve them without importing anything above it.
import type * as z from 'zod/mini';
import type { ErrorRenderer } from './problem.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * How a caller authenticates, for the OpenAPI document and the property tests:
 * bearer = access or API token (Authorization: Bearer or X-Auth-Token); password = credentials in
 * the body (or HTTP Basic where `basic` is also set); service = a service token; none = public.
 */
export type AuthScheme = 'none' | 'bearer' | 'password' | 'basic' | 'service';

/**
 * The per-IP budgets of lib/abuse/ip-budget.ts a route can be guarded by. `password` is one budget
 * shared by every route that checks a password (native, compatibility, and the OAuth token
 * endpoint when it comes); `bearer` is for a request that presents a bearer token instead, on a
 * route that takes either (see `bearerGuard`).
 */
export type IpBudgetScope = 'password' | 'register' | 'password-forgot' | 'bearer' | 'email-resend';

/** A JSON Schema for a response body, or the name of a component schema in lib/openapi/schemas.ts. */
export type ResponseSchema = string | Record<string, unknown>;

/** What a success looks like: its status and body (`html` for a page, `none` for 204). */
export interface SuccessResponse {
  status: number;
  body: ResponseSchema | 'html' | 'none';
}

/** One method on one path. */
export interface OperationDeclaration<Schema extends z.ZodMiniType = z.ZodMiniType> {
  method: Method;
  /** A path template such as `/tokens/{id}`. */
  path: string;
  /** One sentence: OPTIONS answers with it, and the OpenAPI document shows it. */
  summary: string;
  /** The OpenAPI tag (a section of /docs). */
  tag: string;
  /**
   * The schema the body is validated with before the handler runs, or a function giving it when it
   * depends on configuration (read at the first request, never at import).
   */
  request?: Schema | (() => Schema);
  /**
   * `use-case`: the handler passes the body to a use case that validates it (register adds the
   * password policy's problems to the schema's, so one 400 names every bad field); the schema
   * still documents the body.
   */
  validatedBy?: 'use-case';
  /** The body carries a new password, checked against the password policy (the function needs the common-password dictionary). */
  setsPassword?: true;
  /** An empty body skips validation (login then reads HTTP Basic credentials instead). */
  bodyOptional?: boolean;
  /** An example body for the OpenAPI document. */
  example?: Record<string, unknown>;
  auth: AuthScheme;
  /** The per-IP budget that runs before the body is parsed. */
  guard?: IpBudgetScope;
  /**
   * The budget spent instead of `guard` by a request that carries a bearer token and no Basic
   * credentials. Only for routes where such a request never checks a password (service-token
   * refuses a password beside a bearer token; Opentact's /rest/auth reads Basic first).
   */
  bearerGuard?: IpBudgetScope;
  success: SuccessResponse;
  /** A login: it reads a device proof (Device-Proof header or cookie) and answers with a new one (lib/http/device-proof.ts). */
  deviceProof?: true;
}

/** The endpoints one Lambda serves: a native function (one path) or a compatibility dialect (several). */
export interface LambdaDeclaration {
  /** The function's name in serverless.yml, e.g. `login` or `compatTcap`. */
  name: string;
  /** The file in functions/ (without .ts), e.g. `login` or `compat-tcap`. */
  file: string;
  /** The paths serverless.yml routes to this function (API Gateway templates, e.g. `/token-auth/{proxy+}`). */
  httpApiPaths: readonly string[];
  /** Served behind the Lambda authorizer (serverless.yml names it on the route). */
  behindAuthorizer?: boolean;
  /**
   * Issues tokens, so it signs: its role (and only such roles) may call kms:Decrypt to open the
   * signing key (serverless.yml; checked by test/unit/routes/serverless-routes.test.ts).
   */
  signsTokens?: true;
  /** Whose error shapes: `problem` (RFC 9457) or a compatibility dialect's envelope. */
  dialect: 'problem' | 'oauth' | 'tcap' | 'drf' | 'opentact';
  /** How errors are rendered for this dialect. */
  errors?: ErrorRenderer;
  operations: readonly OperationDeclaration[];
}

/** Declares one operation; an identity function that keeps the schema's type for the handler. */
export function operation<Schema extends z.ZodMiniType = z.ZodMiniType>(declaration: OperationDeclaration<Schema>): OperationDeclaration<Schema> {
  return declaration;
}

/** The schema an operation validates its body with, if any (a lazy one is built on first use). */
export function requestSchema(declaration: OperationDeclaration): z.ZodMiniType | undefined {
  const { request } = declaration;
  return typeof request === 'function' ? request() : request;
}

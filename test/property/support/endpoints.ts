// Every endpoint the property tests cover, taken from where the routes are defined: the HTTP
// functions of serverless.yml, and the compatibility dialects' entries in the route table
// (lib/routes/table.ts, declared in lib/routes/compat/).
// httpFunctionsOf() reads serverless.yml so a test can insist that a new function gets covered.
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { PROFILE_FIELDS } from '../../../lib/config/all.ts';
import { type OperationDeclaration, requestSchema } from '../../../lib/http/declaration.ts';
import { httpLambdas, NATIVE_LAMBDAS } from '../../../lib/routes/table.ts';
import type { AnswerRules, Envelope } from './expectations.ts';
import type { HandlerFile } from './handlers.ts';

export interface Endpoint extends AnswerRules {
  /** "login", or "compat-opentact PATCH /rest/token/{uuid}". */
  id: string;
  file: HandlerFile;
  /** The path as serverless.yml or the route table spells it, with {params}. */
  template: string;
  /** The body fields its schema knows (the generators favour them, so cases get past validation). */
  fields: string[];
}

type Native = Omit<Endpoint, 'id' | 'file' | 'template' | 'envelope' | 'cors'> &
  Partial<Pick<Endpoint, 'envelope' | 'cors'>> & {
    /** A path of the function that answers fewer methods than the function as a whole (its other path). */
    pathMethods?: Record<string, readonly string[]>;
  };

/** The native functions by their serverless.yml name: methods and body fields, from functions/<file>.ts. */
export const NATIVE: Record<string, Native> = {
  register: { methods: ['POST'], fields: ['username', 'email', 'password', ...PROFILE_FIELDS] },
  login: { methods: ['POST'], fields: ['username', 'email', 'password'] },
  // DELETE /me {password} deletes the account (issue 18).
  me: { methods: ['GET', 'DELETE'], fields: ['password'] },
  refresh: { methods: ['POST'], fields: ['refresh_token'] },
  logout: { methods: ['POST'], fields: ['refresh_token'] },
  logoutAll: { methods: ['POST'], fields: [] },
  serviceToken: { methods: ['POST'], fields: ['requested_service', 'username', 'email', 'password'] },
  // RFC 7662 callers (openid-client, oauth4webapi) send parameters such as client_id: ignored.
  introspect: { methods: ['POST'], fields: ['token', 'token_type_hint', 'client_id', 'client_secret'], envelope: 'introspection', ignoresUnknownFields: true },
  apiTokens: { methods: ['GET', 'POST', 'DELETE'], fields: ['name', 'ttl'] },
  apiToken: { methods: ['GET', 'PATCH', 'DELETE'], fields: ['name', 'ttl'] },
  passwordForgot: { methods: ['GET', 'POST'], fields: ['email'], pages: true },
  passwordReset: { methods: ['GET', 'POST'], fields: ['token', 'password'], pages: true },
  emailVerify: { methods: ['GET', 'POST'], fields: ['token'], pages: true },
  emailVerifyResend: { methods: ['POST'], fields: ['email'] },
  openapi: { methods: ['GET'], fields: [], publicCache: true },
  docs: { methods: ['GET'], fields: [], pages: true, publicCache: true, assets: true },
  whoami: { methods: ['GET'], fields: [] },
  jwks: { methods: ['GET'], fields: [], publicCache: true },
  openidConfiguration: { methods: ['GET'], fields: [], publicCache: true },
  oauthRegister: {
    methods: ['POST'],
    fields: ['redirect_uris', 'client_name', 'token_endpoint_auth_method', 'grant_types', 'response_types', 'scope', 'post_logout_redirect_uris', 'client_uri'],
    envelope: 'oauth',
    ignoresUnknownFields: true,
  },
  oauthToken: {
    methods: ['POST'],
    fields: ['grant_type', 'code', 'redirect_uri', 'code_verifier', 'refresh_token', 'scope', 'resource', 'client_id', 'client_secret'],
    envelope: 'oauth',
    // OAuth 2.1 §3.2.2 (and RFC 7009 §2.1, RFC 6749 §3.1): unrecognised parameters are ignored.
    ignoresUnknownFields: true,
  },
  oauthUserinfo: { methods: ['GET', 'POST'], fields: [], envelope: 'oauth' },
  oauthRevoke: { methods: ['POST'], fields: ['token', 'token_type_hint', 'client_id', 'client_secret'], envelope: 'oauth', ignoresUnknownFields: true },
  // The OAuth pages: HTML pages, redirects, and OAuth-shaped JSON for what fails before the page.
  oauthAuthorize: {
    methods: ['GET', 'POST'],
    fields: ['client_id', 'redirect_uri', 'response_type', 'scope', 'state'],
    pages: true,
    envelope: 'oauth',
    ignoresUnknownFields: true,
  },
  oauthLogin: {
    methods: ['GET', 'POST'],
    // With the second step's form (issue 17): /oauth/login/mfa.
    fields: ['request', 'csrf_token', 'username', 'password', 'step', 'mfa_token', 'ceremony_id', 'code', 'recovery_code', 'credential'],
    pathMethods: { '/oauth/login/mfa': ['POST'] },
    pages: true,
    envelope: 'oauth',
  },
  oauthConsent: { methods: ['GET', 'POST'], fields: ['request', 'csrf_token', 'decision'], pages: true, envelope: 'oauth' },
  oauthLogout: { methods: ['GET', 'POST'], fields: ['id_token_hint', 'client_id', 'post_logout_redirect_uri', 'state'], pages: true, envelope: 'oauth' },
  // MFA, TOTP and recovery codes (issue 17).
  mfaTotp: { methods: ['POST', 'DELETE'], fields: ['mfa_token'] },
  mfaTotpConfirm: { methods: ['POST'], fields: ['code', 'mfa_token'] },
  mfaFactors: { methods: ['GET'], fields: [] },
  mfaRecoveryCodes: { methods: ['POST'], fields: [] },
  loginMfa: { methods: ['POST'], fields: ['mfa_token', 'code', 'recovery_code'] },
  // The hosted account page and the pages' scripts (issue 17).
  account: {
    methods: ['GET', 'POST'],
    fields: [
      'csrf_token',
      'action',
      'step',
      'username',
      'password',
      'mfa_token',
      'code',
      'recovery_code',
      'credential',
      'name',
      'passkey_id',
      'ttl',
      'token_id',
      'current_password',
      'new_password',
      'keep_other_sessions',
      'new_email',
      'session_id',
    ],
    pathMethods: { '/account/sign-in': ['POST'] },
    pages: true,
    envelope: 'oauth',
  },
  pageAssets: { methods: ['GET'], fields: [], publicCache: true, assets: true },
  // Passkeys (issue 17).
  passkeyRegistration: { methods: ['POST'], fields: ['mfa_token', 'name', 'response'] },
  passkey: { methods: ['DELETE'], fields: [] },
  loginWebauthn: { methods: ['POST'], fields: ['mfa_token', 'ceremony_id', 'response'] },
  // Password and email changes (issue 18).
  mePassword: { methods: ['POST'], fields: ['current_password', 'new_password', 'keep_other_sessions'] },
  meEmail: { methods: ['POST'], fields: ['new_email', 'password'] },
  emailChange: { methods: ['GET', 'POST'], fields: ['token'], pages: true },
  emailRevert: { methods: ['GET', 'POST'], fields: ['token'], pages: true },
  // The account's own sessions and data (issue 18).
  meSessions: { methods: ['GET'], fields: [] },
  meSession: { methods: ['DELETE'], fields: [] },
  meExport: { methods: ['GET'], fields: [] },
  // Security events (issue 18).
  meEvents: { methods: ['GET'], fields: [] },
  // The catch-all: any method, any path; a bare problem+json 404 without the route plumbing.
  notFound: { methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], fields: [], cors: false },
};

export interface Dialect {
  file: HandlerFile;
  envelope: Envelope;
  /** Its operations as the route table declares them (and functions/<file>.ts serves them). */
  operations: readonly OperationDeclaration[];
}

/** The compatibility routers: every Lambda of the route table that is not native, with its error envelope. */
export const DIALECTS: readonly Dialect[] = httpLambdas()
  .filter((lambda) => !NATIVE_LAMBDAS.includes(lambda))
  .map((lambda) => ({ file: lambda.file as HandlerFile, envelope: lambda.dialect, operations: lambda.operations }));

interface HttpFunction {
  name: string;
  file: string;
  paths: string[];
}

/** The functions of serverless.yml that have httpApi events, with their handler files and paths. */
export function httpFunctionsOf(file = 'serverless.yml'): HttpFunction[] {
  const doc = load(readFileSync(file, 'utf8')) as { functions: Record<string, { handler: string; events?: { httpApi?: unknown }[] }> };
  return Object.entries(doc.functions).flatMap(([name, fn]) => {
    const paths = (fn.events ?? []).flatMap((e) => (e.httpApi === undefined ? [] : [e.httpApi === '*' ? '*' : (e.httpApi as { path: string }).path]));
    if (!paths.length) return [];
    return [{ name, file: fn.handler.replace(/^functions\//, '').replace(/\.handler$/, ''), paths }];
  });
}

/** The body fields an operation's schema knows (a schema built from configuration is built here, at first use). */
export const schemaFields = (operation: OperationDeclaration) =>
  Object.keys((requestSchema(operation) as { shape?: Record<string, unknown> } | undefined)?.shape ?? {});

/** Every native endpoint (one per path of each function), and every route of every dialect. */
export function allEndpoints(): Endpoint[] {
  const native = httpFunctionsOf()
    .filter((fn) => !fn.file.startsWith('compat-'))
    .flatMap((fn) =>
      fn.paths.map((template) => {
        const found = NATIVE[fn.name];
        if (!found) throw new Error(`serverless.yml function ${fn.name} has no property-test entry in test/property/support/endpoints.ts`);
        const { pathMethods, ...spec } = found;
        return {
          envelope: 'problem' as const,
          cors: true,
          ...spec,
          methods: pathMethods?.[template] ?? spec.methods,
          id: fn.paths.length > 1 ? `${fn.name} ${template}` : fn.name,
          file: fn.file as HandlerFile,
          template: template === '*' ? '/{anything}' : template,
        };
      }),
    );
  const compat = DIALECTS.flatMap(({ file, envelope, operations }) =>
    operations.map((operation) => ({
      id: `${file} ${operation.method} ${operation.path}`,
      file,
      template: operation.path,
      methods: [operation.method],
      fields: schemaFields(operation),
      envelope,
      cors: true,
      // Django REST Framework's serializers ignore keys they do not declare.
      ignoresUnknownFields: envelope === 'drf' || envelope === 'tcap',
    })),
  );
  return [...native, ...compat];
}

/**
 * The methods a dialect's router allows for a path: every route whose template matches, as
 * lib/http/router.ts decides (a CORS preflight names them all).
 */
export function routerMethods(routes: readonly Pick<OperationDeclaration, 'method' | 'path'>[], path: string): string[] {
  const matching = routes.filter((route) => {
    const source = route.path
      .replace(/\/$/, '')
      .split('/')
      .map((segment) => (/^\{\w+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/');
    return new RegExp(`^${source}/?$`).test(path);
  });
  return [...new Set(matching.map((route) => route.method))];
}

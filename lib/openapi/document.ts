// The OpenAPI 3.1 description of every route, native and compatibility, built at run time from the
// route table (lib/routes/table.ts): the same declarations, and the very zod schemas, that the
// Lambdas serve and validate with, so it cannot drift from the code; response shapes in ./schemas.ts. Served at GET /openapi.json and rendered at GET /docs.
import * as z from 'zod/mini';
import type { Config } from '../config/all.ts';
import { type AuthScheme, type OperationDeclaration, requestSchema, type SuccessResponse } from '../http/declaration.ts';
import { httpLambdas } from '../routes/table.ts';
import { COMPONENT_SCHEMAS } from './schemas.ts';

type Json = Record<string, unknown>;

/** The JSON Schema of a request body, from the zod schema that validates it. */
function bodySchema(schema: z.ZodMiniType): Json {
  const { $schema: _drop, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  return json;
}

const SECURITY: Record<AuthScheme, Json[]> = {
  bearer: [{ bearerAuth: [] }, { xAuthToken: [] }],
  basic: [{ basicAuth: [] }, { xAuthToken: [] }],
  password: [],
  service: [{ serviceToken: [] }],
  none: [],
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function successObject(success: SuccessResponse): Json {
  if (success.body === 'none') return { description: 'Done; no body.' };
  if (success.body === 'html') return { description: 'A page.', content: { 'text/html': { schema: { type: 'string' } } } };
  return { description: 'Success.', content: { 'application/json': { schema: typeof success.body === 'string' ? ref(success.body) : success.body } } };
}

/** A login's device proof (lib/http/device-proof.ts; the policy is in SECURITY.md). */
const DEVICE_PROOF_PARAMETER = {
  name: 'Device-Proof',
  in: 'header',
  required: false,
  description:
    'The device proof from an earlier successful login (or send the `__Secure-device_proof` cookie): failed logins with a valid one count against that device only, so the owner still gets in while clients without it are throttled.',
  schema: { type: 'string' },
};
const DEVICE_PROOF_HEADERS = {
  'Device-Proof': {
    description: 'A new device proof for this client, to send with its next logins; valid 180 days by default (DEVICE_PROOF_TTL).',
    schema: { type: 'string' },
  },
  'Set-Cookie': { description: 'The same proof as `__Secure-device_proof`: HttpOnly; Secure; SameSite=Strict; Path = this route.', schema: { type: 'string' } },
};

function operationObject(op: OperationDeclaration): Json {
  const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });
  const parameters = [...op.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
  const request = requestSchema(op);
  const checksPassword = op.auth === 'password' || op.auth === 'basic';
  return {
    summary: op.summary,
    tags: [op.tag],
    operationId: `${op.method.toLowerCase()}${op.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    ...(parameters.length || op.deviceProof ? { parameters: [...parameters, ...(op.deviceProof ? [DEVICE_PROOF_PARAMETER] : [])] } : {}),
    security: SECURITY[op.auth],
    ...(request
      ? {
          requestBody: {
            required: !op.bodyOptional,
            content: Object.fromEntries(
              ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'].map((type) => [
                type,
                { schema: bodySchema(request), ...(op.example && type === 'application/json' ? { example: op.example } : {}) },
              ]),
            ),
          },
        }
      : {}),
    responses: {
      [String(op.success.status)]: op.deviceProof ? { ...successObject(op.success), headers: DEVICE_PROOF_HEADERS } : successObject(op.success),
      '400': problem('A field is missing, malformed or unknown; `errors` names each.'),
      ...(op.auth === 'bearer' || op.auth === 'service' ? { '401': problem('No token, or an invalid, expired or revoked one.') } : {}),
      ...(checksPassword ? { '401': problem('Wrong username/email or password.') } : {}),
      ...(op.guard || checksPassword ? { '429': problem('Too many requests from this address, or too many failed logins; retry after Retry-After.') } : {}),
      '503': problem('DynamoDB or SES is unavailable; retry after Retry-After.'),
    },
  };
}

export function buildOpenApiDocument(config: Config): Json {
  const paths: Record<string, Json> = {};
  for (const op of httpLambdas().flatMap((lambda) => lambda.operations)) {
    const path = paths[op.path] ?? {};
    path[op.method.toLowerCase()] = operationObject(op);
    paths[op.path] = path;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: `${config.productName} API`,
      version: '1.0.0',
      description:
        'A serverless authentication service: accounts, sessions with rotating refresh tokens, service tokens, personal API tokens, password reset and email verification, plus compatibility routes for the TCAP, EclecticIQ, Opentact and miniSASS APIs. Every request body may be JSON, form-urlencoded or multipart. Errors are RFC 9457 problem+json (compatibility routes use their own documented envelopes).',
    },
    servers: [{ url: config.publicUrl }],
    tags: ['Accounts', 'Sessions', 'Service tokens', 'API tokens', 'Password and email', 'Authorizer', 'Discovery'].map((name) => ({ name })),
    paths,
    components: {
      schemas: COMPONENT_SCHEMAS,
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token (RS256 JWT) or a personal API token.' },
        xAuthToken: { type: 'apiKey', in: 'header', name: 'X-Auth-Token', description: 'The same tokens, in the X-Auth-Token header.' },
        basicAuth: { type: 'http', scheme: 'basic', description: 'email-or-username:password.' },
        serviceToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A service token from POST /service-token.' },
      },
    },
  };
}

// The shapes API Gateway speaks with a Lambda authorizer, kept apart from the decision itself:
// reading the token from any of the three event kinds, and answering in the matching format.
//  - HTTP API, payload 2.0: a "simple response" {isAuthorized, context}.
//  - REST API TOKEN / REQUEST authorizers (and HTTP API payload 1.0): an IAM policy.
import type {
  APIGatewayAuthorizerResult,
  APIGatewayRequestAuthorizerEvent,
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerWithContextResult,
  APIGatewayTokenAuthorizerEvent,
} from 'aws-lambda';

export type AuthorizerEvent = APIGatewayRequestAuthorizerEventV2 | APIGatewayTokenAuthorizerEvent | APIGatewayRequestAuthorizerEvent;
export type AuthorizerContext = Record<string, string>;
export type AuthorizerResult = APIGatewaySimpleAuthorizerWithContextResult<AuthorizerContext> | APIGatewayAuthorizerResult;

export function isSimpleResponseEvent(event: AuthorizerEvent): event is APIGatewayRequestAuthorizerEventV2 {
  return (event as { version?: string }).version === '2.0';
}

function headerValue(headers: Record<string, string | undefined> | null | undefined, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers ?? {})) if (key.toLowerCase() === name) return value;
  return undefined;
}

/** `Bearer <token>` (any case), or a bare token as REST TOKEN authorizers are often configured. */
function fromAuthorization(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  const bearer = trimmed.match(/^Bearer[ \t]+(\S+)$/i);
  if (bearer) return bearer[1];
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(trimmed) ? trimmed : undefined;
}

/** X-Auth-Token carries the bare token: one word, or nothing usable. */
function singleToken(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed && !/\s/.test(trimmed) ? trimmed : undefined;
}

/** The bearer token from `Authorization: Bearer <t>` or `X-Auth-Token: <t>`, in any event kind. */
export function tokenFromEvent(event: AuthorizerEvent): string | undefined {
  if (event.type === 'TOKEN') return fromAuthorization((event as APIGatewayTokenAuthorizerEvent).authorizationToken);
  const headers = (event as APIGatewayRequestAuthorizerEvent).headers;
  return fromAuthorization(headerValue(headers, 'authorization')) ?? singleToken(headerValue(headers, 'x-auth-token'));
}

/**
 * Allow or Deny for every method and path of the calling API's stage. A wildcard, because REST
 * APIs cache the policy per token: a policy naming only the first path would refuse the next one.
 */
function policy(effect: 'Allow' | 'Deny', principalId: string, methodArn: string, context: AuthorizerContext): APIGatewayAuthorizerResult {
  // arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path...}
  const [apiArn, stage] = methodArn.split('/');
  return {
    principalId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: `${apiArn}/${stage ?? '*'}/*` }],
    },
    context,
  };
}

export function allow(event: AuthorizerEvent, principalId: string, context: AuthorizerContext): AuthorizerResult {
  if (isSimpleResponseEvent(event)) return { isAuthorized: true, context };
  return policy('Allow', principalId, (event as APIGatewayTokenAuthorizerEvent).methodArn, context);
}

/**
 * A refusal. API Gateway answers 403 for it; `context.message` carries our reason (e.g. the
 * expired-token message), which a REST API's ACCESS_DENIED gateway response can show as the body.
 */
export function deny(event: AuthorizerEvent, context: AuthorizerContext): AuthorizerResult {
  if (isSimpleResponseEvent(event)) return { isAuthorized: false, context };
  return policy('Deny', 'anonymous', (event as APIGatewayTokenAuthorizerEvent).methodArn, context);
}

/**
 * No token at all. REST APIs answer 401 when the authorizer throws exactly "Unauthorized"; HTTP
 * APIs with simple responses have no 401 from the authorizer, so they get a denial (403).
 */
export function unauthorized(event: AuthorizerEvent, context: AuthorizerContext): AuthorizerResult {
  if (isSimpleResponseEvent(event)) return deny(event, context);
  throw new Error('Unauthorized');
}

// Builds the three kinds of event API Gateway sends a Lambda authorizer, with just the fields the
// authorizer reads plus enough of the rest to look like the real thing.
import type {
  APIGatewayAuthorizerResult,
  APIGatewayRequestAuthorizerEvent,
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerWithContextResult,
  APIGatewayTokenAuthorizerEvent,
} from 'aws-lambda';
import type { AuthorizerContext, AuthorizerResult } from '../../lib/auth/authorizer-events.ts';

export const METHOD_ARN = 'arn:aws:execute-api:eu-west-1:123456789012:abcdef/prod/GET/pets/1';
/** What a policy for METHOD_ARN must name: every method and path of the stage. */
export const STAGE_WILDCARD = 'arn:aws:execute-api:eu-west-1:123456789012:abcdef/prod/*';
export const ROUTE_ARN = 'arn:aws:execute-api:eu-west-1:123456789012:abcdef/$default/GET/pets/1';

type Headers = Record<string, string | undefined> | null | undefined;

/** HTTP API, payload format 2.0 (simple responses). */
export function v2Event(headers: Headers): APIGatewayRequestAuthorizerEventV2 {
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: ROUTE_ARN,
    identitySource: [],
    routeKey: 'GET /pets/{id}',
    rawPath: '/pets/1',
    rawQueryString: '',
    cookies: [],
    headers: headers ?? undefined,
    requestContext: {} as APIGatewayRequestAuthorizerEventV2['requestContext'],
  };
}

/** REST API TOKEN authorizer. */
export function tokenEvent(authorizationToken: string, methodArn = METHOD_ARN): APIGatewayTokenAuthorizerEvent {
  return { type: 'TOKEN', authorizationToken, methodArn };
}

/** REST API REQUEST authorizer. */
export function requestEvent(headers: Headers, methodArn = METHOD_ARN): APIGatewayRequestAuthorizerEvent {
  return {
    type: 'REQUEST',
    methodArn,
    resource: '/pets/{id}',
    path: '/pets/1',
    httpMethod: 'GET',
    headers: headers ?? null,
    multiValueHeaders: null,
    pathParameters: null,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    requestContext: {} as APIGatewayRequestAuthorizerEvent['requestContext'],
  };
}

export const asSimple = (result: AuthorizerResult) => result as APIGatewaySimpleAuthorizerWithContextResult<AuthorizerContext>;
export const asPolicy = (result: AuthorizerResult) => result as APIGatewayAuthorizerResult;

/** The single statement's effect of an IAM policy result. */
export function effectOf(result: AuthorizerResult): string | undefined {
  return asPolicy(result).policyDocument?.Statement?.[0]?.Effect;
}

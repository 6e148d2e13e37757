// Personal API tokens: declarations and request schemas.
import * as z from 'zod/mini';
import { apiTokensConfig } from '../../config/sections/api-tokens.ts';
import { MIN_API_TOKEN_TTL } from '../../domain/api-token.ts';
import { type LambdaDeclaration, operation } from '../../http/declaration.ts';
import { lazy, noFields, secondsField, textField } from '../fields.ts';
import { ref } from '../responses.ts';

const MAX_NAME_LENGTH = 100;

const nameField = textField('name').check(
  z.refine((name) => name.trim().length > 0, { error: 'This field must not be empty.' }),
  z.refine((name) => [...name.trim()].length <= MAX_NAME_LENGTH, { error: `Use at most ${MAX_NAME_LENGTH} characters.` }),
);

/** The create and update bodies; API_TOKEN_MAX_TTL bounds ttl. */
export function apiTokenSchemas(maxTtlSeconds: number) {
  const ttl = z.optional(secondsField('ttl', MIN_API_TOKEN_TTL, maxTtlSeconds));
  return {
    create: z.strictObject({ name: nameField, ttl }),
    update: z.strictObject({ name: z.optional(nameField), ttl }),
  };
}

const schemas = lazy(() => apiTokenSchemas(apiTokensConfig().maxTtlSeconds));
const TAG = 'API tokens';
const API_TOKEN = ref('ApiToken');

export const listApiTokens = operation({
  method: 'GET',
  path: '/tokens',
  tag: TAG,
  summary: 'Your API tokens, newest first, without secrets.',
  auth: 'bearer',
  success: { status: 200, body: { type: 'object', properties: { tokens: { type: 'array', items: API_TOKEN } } } },
});

export const createApiToken = operation({
  method: 'POST',
  path: '/tokens',
  tag: TAG,
  summary: 'Create an API token; the secret appears only in this answer.',
  request: () => schemas().create,
  example: { name: 'CI deploys', ttl: 86400 },
  auth: 'bearer',
  success: { status: 201, body: { allOf: [API_TOKEN, { type: 'object', properties: { token: { type: 'string' } } }] } },
});

export const deleteApiTokens = operation({
  method: 'DELETE',
  path: '/tokens',
  tag: TAG,
  summary: 'Delete all your API tokens.',
  request: noFields,
  auth: 'bearer',
  success: { status: 204, body: 'none' },
});

export const getApiToken = operation({
  method: 'GET',
  path: '/tokens/{id}',
  tag: TAG,
  summary: 'One of your API tokens.',
  auth: 'bearer',
  success: { status: 200, body: 'ApiToken' },
});

export const updateApiToken = operation({
  method: 'PATCH',
  path: '/tokens/{id}',
  tag: TAG,
  summary: 'Rename and/or renew an API token (a new ttl counts from now).',
  request: () => schemas().update,
  auth: 'bearer',
  success: { status: 200, body: 'ApiToken' },
});

export const deleteApiToken = operation({
  method: 'DELETE',
  path: '/tokens/{id}',
  tag: TAG,
  summary: 'Delete an API token.',
  request: noFields,
  auth: 'bearer',
  success: { status: 204, body: 'none' },
});

export const apiTokensLambda: LambdaDeclaration = {
  name: 'apiTokens',
  file: 'api-tokens',
  httpApiPaths: ['/tokens'],
  dialect: 'problem',
  operations: [listApiTokens, createApiToken, deleteApiTokens],
};
export const apiTokenLambda: LambdaDeclaration = {
  name: 'apiToken',
  file: 'api-token',
  httpApiPaths: ['/tokens/{id}'],
  dialect: 'problem',
  operations: [getApiToken, updateApiToken, deleteApiToken],
};

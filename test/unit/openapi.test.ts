// The OpenAPI document: valid OpenAPI 3.1 (checked by a registry validator), covering every HTTP
// route serverless.yml deploys, with request schemas that are the validating zod schemas.
import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config/all.ts';
import { buildOpenApiDocument } from '../../lib/openapi/document.ts';

const config = loadConfig({ KEY_ENCRYPTION_SECRET: 'x'.repeat(32), PUBLIC_URL: 'http://localhost:3000' });
const document = buildOpenApiDocument(config) as any;

/** serverless.yml's httpApi paths, minus the catch-all and the {proxy+} dialect mounts. */
function deployedPaths(): string[] {
  const template = load(readFileSync('serverless.yml', 'utf8')) as any;
  return Object.values(template.functions as Record<string, any>)
    .flatMap((fn) => (fn.events ?? []).map((e: any) => e.httpApi))
    .filter((api) => api && typeof api === 'object')
    .map((api) => api.path as string)
    .filter((path) => !path.includes('{proxy+}'));
}

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1', async () => {
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe('3.1.0');
  });

  it('describes every deployed route, and every compatibility route', () => {
    const documented = Object.keys(document.paths);
    const docsAssets = (path: string) => path.startsWith('/docs');
    for (const path of deployedPaths().filter((p) => !docsAssets(p))) expect(documented, path).toContain(path);
    for (const path of [
      '/token-auth/api/login',
      '/token-auth/tcap',
      '/auth',
      '/api/auth',
      '/rest/auth',
      '/rest/token/{token}',
      '/token/{uuid}',
      '/authentication/api/register',
    ]) {
      expect(documented, path).toContain(path);
    }
  });

  it('takes request bodies from the validating schemas, in all three encodings', () => {
    const body = document.paths['/register'].post.requestBody.content;
    expect(Object.keys(body).sort()).toEqual(['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data']);
    const schema = body['application/json'].schema;
    expect(schema.required).toEqual(expect.arrayContaining(['username', 'email', 'password']));
    expect(Object.keys(schema.properties).sort()).toEqual(
      ['country', 'email', 'first_name', 'job_title', 'last_name', 'organisation_name', 'organisation_type', 'password', 'username'].sort(),
    );
    expect(schema.additionalProperties).toBe(false);
    const minisass = document.paths['/authentication/api/register'].post.requestBody.content['application/json'].schema;
    expect(minisass.required).toEqual(expect.arrayContaining(['organizationType', 'organizationName', 'country']));
  });

  it('declares the security schemes and problem+json errors', () => {
    expect(Object.keys(document.components.securitySchemes).sort()).toEqual(['basicAuth', 'bearerAuth', 'serviceToken', 'xAuthToken']);
    expect(document.paths['/me'].get.security).toEqual([{ bearerAuth: [] }, { xAuthToken: [] }]);
    expect(document.paths['/login'].post.responses['401'].content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/Problem' });
  });
});

// GET /openapi.json: the OpenAPI 3.1 document, generated from the request schemas (lib/openapi/).
import { getConfig } from '../lib/config/all.ts';
import { implement, serve } from '../lib/http/endpoint.ts';
import { json } from '../lib/http/response.ts';
import { buildOpenApiDocument } from '../lib/openapi/document.ts';
import { openapi, openapiLambda } from '../lib/routes/native/discovery.ts';

// Only the configuration: building the DynamoDB and SES clients would cost cold-start time for nothing.
const config = getConfig();
let document: unknown;

export const handler = serve(openapiLambda, [
  implement(openapi, async () => {
    document ??= buildOpenApiDocument(config);
    return json(200, document, { 'cache-control': 'public, max-age=300' });
  }),
]);

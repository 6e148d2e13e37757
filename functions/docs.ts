// GET /docs: the API reference page (lib/pages/api-docs.ts); GET /docs/{file} serves its files.
import { getConfig } from '../lib/config/all.ts';
import { implement, serve } from '../lib/http/endpoint.ts';
import { apiDocsAsset, apiDocsPage } from '../lib/pages/api-docs.ts';
import { docsAsset, docsLambda, docsPage } from '../lib/routes/native/discovery.ts';

// Only the configuration: building the DynamoDB and SES clients would cost cold-start time for nothing.
const config = getConfig();

export const handler = serve(docsLambda, [
  implement(docsPage, async () => apiDocsPage(config.productName)),
  implement(docsAsset, async ({ params }) => apiDocsAsset(params.file ?? '')),
]);

// GET /assets/{file}: the hosted pages' scripts (lib/pages/page-assets.ts), from our own origin.
import { implement, serve } from '../lib/http/endpoint.ts';
import { pageAsset } from '../lib/pages/page-assets.ts';
import { pageAssetGet, pageAssetsLambda } from '../lib/routes/native/mfa-pages.ts';

export const handler = serve(pageAssetsLambda, [implement(pageAssetGet, async ({ params }) => pageAsset(params.file ?? ''))]);

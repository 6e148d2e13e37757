// GET /.well-known/jwks.json: the public keys that verify our tokens (never a private part).

import { implement, serve } from '../lib/http/endpoint.ts';
import { json } from '../lib/http/response.ts';
import { jwks, jwksLambda } from '../lib/routes/native/discovery.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

export const handler = serve(jwksLambda, [
  implement(jwks, async () => {
    const keys = await deps.verificationKeys.publicJwks();
    // Public and safe to cache; short enough that a rotation is seen within minutes.
    return json(200, { keys }, { 'cache-control': 'public, max-age=300' });
  }),
]);

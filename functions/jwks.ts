// GET /.well-known/jwks.json: the public keys that verify our tokens (never a private part).
import { dependencies } from '../lib/app.ts';
import { json } from '../lib/http/response.ts';
import { httpRoute } from '../lib/http/route.ts';

const deps = dependencies();

export const handler = httpRoute({ methods: ['GET'], summary: 'The public keys that verify our tokens (JWKS).' }, async () => {
  const keys = await deps.keyRing.publicJwks();
  // Public and safe to cache; short enough that a rotation is seen within minutes.
  return json(200, { keys }, { 'cache-control': 'public, max-age=300' });
});

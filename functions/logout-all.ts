// POST /logout/all with an access token: 204, and every session of the user has ended.
import { dependencies } from '../lib/app.ts';
import { noFields } from '../lib/routes/fields.ts';
import { bearerToken } from '../lib/http/request.ts';
import { noContent } from '../lib/http/response.ts';
import { httpRoute } from '../lib/http/route.ts';
import { validate } from '../lib/domain/validation.ts';
import { currentUser } from '../lib/use-cases/current-user.ts';
import { logoutEverywhere } from '../lib/use-cases/logout.ts';

const deps = dependencies();

export const handler = httpRoute({ methods: ['POST'], summary: 'Ends every session of the logged-in user, on every device.' }, async (event) => {
  validate(noFields, event.parsedBody ?? {});
  const caller = await currentUser(bearerToken(event), deps);
  await logoutEverywhere(caller, deps);
  return noContent();
});

// GET /me/export: the caller's data as a JSON download (GDPR Art. 20).

import { requireSessionToken } from '../lib/auth/token-checker.ts';
import { accountExportView } from '../lib/http/account-export-view.ts';
import { implement, serve } from '../lib/http/endpoint.ts';
import { bearerToken } from '../lib/http/request.ts';
import { json } from '../lib/http/response.ts';
import { exportMe, meExportLambda } from '../lib/routes/native/account-data.ts';
import { exportAccount } from '../lib/use-cases/account-export.ts';
import { currentUser } from '../lib/use-cases/current-user.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

export const handler = serve(meExportLambda, [
  implement(exportMe, async ({ event }) => {
    const caller = await currentUser(bearerToken(event), deps);
    requireSessionToken(caller, 'Exporting your account');
    const data = await exportAccount(caller.user, deps, caller.claims.sid);
    return json(200, accountExportView(data), { 'content-disposition': 'attachment; filename="account-export.json"' });
  }),
]);

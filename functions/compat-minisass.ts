// The miniSASS compatibility routes (lib/compat/minisass.ts), answered as miniSASS documents them.
// ENABLED_DIALECTS can switch them off; they then answer 404.
import { dependencies } from '../lib/wiring/dependencies.ts';
import { drfError } from '../lib/routes/compat/envelopes.ts';
import { miniSassRoutes } from '../lib/routes/compat/minisass.ts';
import { httpRouter } from '../lib/http/router.ts';

const deps = dependencies();

export const handler = httpRouter(miniSassRoutes(deps), { errors: drfError, enabled: deps.config.enabledDialects.includes('minisass') });

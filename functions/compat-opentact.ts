// The Opentact compatibility routes (lib/compat/opentact.ts), answered as Opentact documents them.
// ENABLED_DIALECTS can switch them off; they then answer 404.
import { dependencies } from '../lib/wiring/dependencies.ts';
import { opentactError } from '../lib/routes/compat/envelopes.ts';
import { opentactRoutes } from '../lib/routes/compat/opentact.ts';
import { httpRouter } from '../lib/http/router.ts';

const deps = dependencies();

export const handler = httpRouter(opentactRoutes(deps), { errors: opentactError, enabled: deps.config.enabledDialects.includes('opentact') });

// The TCAP compatibility routes (lib/compat/tcap.ts), answered as TCAP documents them.
// ENABLED_DIALECTS can switch them off; they then answer 404.
import { dependencies } from '../lib/wiring/dependencies.ts';
import { tcapError } from '../lib/routes/compat/envelopes.ts';
import { tcapRoutes } from '../lib/routes/compat/tcap.ts';
import { httpRouter } from '../lib/http/router.ts';

const deps = dependencies();

export const handler = httpRouter(tcapRoutes(deps), { errors: tcapError, enabled: deps.config.enabledDialects.includes('tcap') });

// The EclecticIQ compatibility routes (lib/compat/eclecticiq.ts), answered as EclecticIQ documents them.
// ENABLED_DIALECTS can switch them off; they then answer 404.
import { dependencies } from '../lib/wiring/dependencies.ts';
import { problem } from '../lib/http/problem.ts';
import { eclecticIqRoutes } from '../lib/routes/compat/eclecticiq.ts';
import { httpRouter } from '../lib/http/router.ts';

const deps = dependencies();

export const handler = httpRouter(eclecticIqRoutes(deps), { errors: problem, enabled: deps.config.enabledDialects.includes('eclecticiq') });

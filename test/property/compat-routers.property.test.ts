// The compatibility routers fuzzed as routers: random methods and paths under their prefixes
// (unknown routes, bad percent escapes, doubled and trailing slashes) answer 404/405/OPTIONS in the
// dialect's envelope, never a 5xx.
import { routerProperties } from './support/suite.ts';

await routerProperties(['compat-tcap', 'compat-eclecticiq', 'compat-opentact', 'compat-minisass']);

// Property tests of every route of the compatibility dialects (TCAP, EclecticIQ, Opentact,
// miniSASS): errors always in the dialect's own envelope, never a 5xx, with security and CORS headers.
import { endpointProperties } from './support/suite.ts';

await endpointProperties('compatibility routes', (endpoint) => endpoint.file.startsWith('compat-'));

// Property tests of the Opentact routes (HTTP Basic login, named API tokens): errors always in
// Opentact's {success: false, error} envelope, never a 5xx, with security and CORS headers.
import { endpointProperties } from './support/suite.ts';

await endpointProperties('Opentact routes', (endpoint) => endpoint.file === 'compat-opentact');

// Property tests of the TCAP, EclecticIQ and miniSASS routes (logins, sessions, registration,
// reset): errors always in the dialect's own envelope, never a 5xx, with security and CORS headers.
import { endpointProperties } from './support/suite.ts';

const FILES = ['compat-tcap', 'compat-eclecticiq', 'compat-minisass'];

await endpointProperties('TCAP, EclecticIQ and miniSASS routes', (endpoint) => FILES.includes(endpoint.file));

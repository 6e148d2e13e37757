// A probe beside the floor: the floor plus Powertools Metrics, loaded and constructed as
// lib/support/metrics.ts does. Its initialisation minus the floor's, in the same run, is what
// Powertools adds to a function's cold start (row 4g; the issue allows at most 10 ms).
import { Metrics } from '@aws-lambda-powertools/metrics';

export { handler } from './dynamodb-client.ts';

export const metrics = new Metrics({ namespace: 'Bench', serviceName: 'bench' });

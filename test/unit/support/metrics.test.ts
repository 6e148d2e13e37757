// The service's own metrics as CloudWatch embedded metric format (lib/support/metrics.ts) and the
// middleware that writes them once per request: the lines CloudWatch reads, their names and
// dimensions (the alarms in scripts/serverless/operations-resources.ts match on these), and nothing
// at all where no namespace is configured.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HttpResult } from '../../../lib/http/types.ts';
import { httpEvent } from '../../support/http-event.ts';

type Emf = { _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] } } & Record<
  string,
  unknown
>;

let lines: Emf[];

beforeEach(() => {
  lines = [];
  vi.resetModules();
  vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: string | Uint8Array) => {
    const text = String(chunk);
    if (text.includes('"_aws"')) lines.push(JSON.parse(text) as Emf);
    return true;
  }) as typeof process.stdout.write);
  vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'AuthService');
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'auth-service-test');
  vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'auth-service-test-login');
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const metricsModule = () => import('../../../lib/support/metrics.ts');

describe('service metrics', () => {
  it('writes what a request counted as one EMF line, under the namespace and service of serverless.yml', async () => {
    const { countMetric, publishMetrics } = await metricsModule();
    countMetric('LoginFailures');
    countMetric('LoginFailures');
    countMetric('LoginsThrottled');
    publishMetrics();
    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(line!._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'AuthService', Dimensions: [['service']] });
    expect(line!._aws.CloudWatchMetrics[0]!.Metrics.map((m) => m.Name).sort()).toEqual(['LoginFailures', 'LoginsThrottled']);
    // Two samples of 1 (EMF's value array): CloudWatch's Sum is 2.
    expect(line).toMatchObject({ service: 'auth-service-test', LoginFailures: [1, 1], LoginsThrottled: 1 });
    // Nothing counted since: nothing written (no empty line, no warning line).
    publishMetrics();
    expect(lines).toHaveLength(1);
  });

  it('counts a 5xx with the function as a dimension, as its alarm expects', async () => {
    const { countServerError } = await metricsModule();
    countServerError();
    expect(lines).toHaveLength(1);
    expect(lines[0]!._aws.CloudWatchMetrics[0]!.Dimensions[0]!.sort()).toEqual(['function', 'service']);
    expect(lines[0]).toMatchObject({ function: 'auth-service-test-login', ServerErrors: 1 });
  });

  it('writes nothing where no namespace is configured (tests, scripts, the admin CLI)', async () => {
    vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', '');
    const { countMetric, countServerError, publishMetrics } = await metricsModule();
    countMetric('Logins');
    countServerError();
    publishMetrics();
    expect(lines).toEqual([]);
  });
});

describe('the publish-metrics middleware', () => {
  const serveOnce = async (run: () => Promise<HttpResult>) => {
    const { oneRoute } = await import('../../support/one-route.ts');
    const { countMetric } = await metricsModule();
    const handler = oneRoute({ methods: ['GET'], summary: 'test' }, async () => {
      countMetric('TokensIssued');
      return run();
    });
    return handler(httpEvent({ method: 'GET', path: '/test' }), {} as never);
  };

  it('writes the request\u2019s counts when it answers', async () => {
    const response = await serveOnce(async () => ({ statusCode: 200, headers: {}, body: '{}' }));
    expect(response.statusCode).toBe(200);
    expect(lines.map((line) => line.TokensIssued)).toEqual([1]);
    expect(lines.some((line) => 'ServerErrors' in line)).toBe(false);
  });

  it('counts a 5xx answer (an unexpected error) and still writes the request\u2019s counts', async () => {
    const response = await serveOnce(async () => {
      throw new Error('boom');
    });
    expect(response.statusCode).toBe(500);
    expect(lines.filter((line) => line.ServerErrors === 1)).toHaveLength(1);
    expect(lines.filter((line) => line.TokensIssued === 1)).toHaveLength(1);
  });
});

// The ceiling serverless-offline itself puts on throughput: the same number of connections sending
// OPTIONS /me, which runs the /me Lambda but answers from its route table without any DynamoDB,
// crypto or argon2 work. What remains is serverless-offline's own cost per invocation (HTTP server,
// API Gateway event, hand-over to a worker thread and back).
import autocannon from 'autocannon';

export interface Baseline {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

export function measureBaseline(apiUrl: string, connections: number, seconds: number): Promise<Baseline> {
  return new Promise((resolve, reject) => {
    autocannon({ url: `${apiUrl}/me`, method: 'OPTIONS', connections, duration: seconds, timeout: 10 }, (error, result) => {
      if (error) return reject(error);
      resolve({
        requestsPerSecond: result.requests.total / result.duration,
        p50: result.latency.p50,
        p99: result.latency.p99,
        non2xx: result.non2xx,
        errors: result.errors,
      });
    });
  });
}

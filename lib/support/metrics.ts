// The service's own counts (logins, failed logins, logins refused by the throttle, refresh-token
// reuse, tokens issued, 5xx answers) as CloudWatch embedded metric format (EMF) lines: CloudWatch
// turns them into metrics from the log, with no API call and no permission (the alarms in
// scripts/serverless/operations-resources.ts watch them). Use cases count; the request's last
// middleware (lib/http/middlewares/publish-metrics.ts) writes one line per request.
//
// Powertools for AWS Lambda writes the EMF: it costs less than the 10 ms of cold start
// (bench row 4g), and its format and limits (100 metrics a line, dimension rules) are kept by AWS.
// The logger stays lib/support/log.ts: Powertools Logger has no redaction of secret-looking keys,
// which every log line of this service gets. Namespace and service come from serverless.yml
// (POWERTOOLS_METRICS_NAMESPACE, POWERTOOLS_SERVICE_NAME); without a namespace (tests, scripts)
// nothing is counted, so no EMF line lands where no CloudWatch reads it.
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export type ServiceMetric =
  | 'Logins'
  | 'LoginFailures'
  | 'LoginsThrottled'
  | 'RefreshTokenReuse'
  | 'TokensIssued'
  | 'ServerErrors'
  /** A security event that could not be written to the table (the request went on without it). */
  | 'SecurityEventWriteFailures'
  /** Security events the stream publisher could not hand to EventBridge (left for the stream to retry). */
  | 'SecurityEventPublishFailures'
  /** Calls lazy migration made to the legacy system (lib/migration/legacy-http.ts), and those that got no answer. */
  | 'LegacyLoginCalls'
  | 'LegacyLoginFailures';

let metrics: Metrics | undefined;
let pending = false;

function enabled(): boolean {
  return Boolean(process.env.POWERTOOLS_METRICS_NAMESPACE);
}

function instance(): Metrics {
  metrics ??= new Metrics();
  return metrics;
}

/** Adds `count` to `name` for the current request (published with the others at its end). */
export function countMetric(name: ServiceMetric, count = 1): void {
  if (!enabled()) return;
  instance().addMetric(name, MetricUnit.Count, count);
  pending = true;
}

/**
 * Counts one 5xx answer of this function, with the function's name as a dimension as well, so
 * each function's alarm sees its own (written at once, apart from the request's other counts).
 */
export function countServerError(): void {
  if (!enabled()) return;
  const single = instance().singleMetric();
  single.addDimension('function', process.env.AWS_LAMBDA_FUNCTION_NAME || 'local');
  single.addMetric('ServerErrors', MetricUnit.Count, 1);
}

/** Writes what the request counted as one EMF line; nothing when it counted nothing. */
export function publishMetrics(): void {
  if (!pending || !metrics) return;
  pending = false;
  metrics.publishStoredMetrics();
}

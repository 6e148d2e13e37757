// The CloudWatch alarms and the dashboard of a stage, generated from its functions so that a new
// function gets its alarm without anyone remembering to add one (26 hand-written alarm blocks in
// serverless.yml would drift). The serverless plugin (operations.cjs) adds these resources to the
// compiled template; test/deploy/template.test.ts checks them.
//
// What is watched (issue 14, "Operations"), each alarm at most one evaluation of 5 minutes so a
// page comes within minutes, missing data never alarming (a quiet stage is not a broken one):
//  - every function: Lambda Errors (crashes, timeouts) plus the 5xx answers it rendered itself
//    (ServerErrors, an embedded metric from lib/support/metrics.ts), as one metric-math alarm;
//  - the HTTP API's 5xx; the authorizer's errors (above) and its throttles (a throttled authorizer
//    makes API Gateway answer 500/503 on every protected route of every API that uses it);
//  - the table: throttled reads and writes, and DynamoDB's own system errors;
//  - key rotation: its errors (above) and anything in its failure queue;
//  - the service's own metrics: a spike of failed logins or of lockouts, any refresh-token reuse.

export interface OperationsInput {
  /** `<service>-<stage>`: the prefix of every alarm name and the metrics' service dimension. */
  stackPrefix: string;
  /** Function name → its CloudFormation logical id (e.g. login → LoginLambdaFunction). */
  functions: Record<string, string>;
  authorizer: string;
  rotation: string;
  /** Namespace of the embedded metrics (lib/support/metrics.ts). */
  metricsNamespace: string;
  alarmTopicArn?: string | undefined;
  /** Failed logins in 5 minutes that count as a spike. */
  failedLoginAlarmThreshold: number;
}

type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] };

const PERIOD = 300;
/** The operations whose DynamoDB SystemErrors are watched: every one the code performs (at most 10 per alarm). */
const TABLE_OPERATIONS = ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems'];

const upper = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

function metric(id: string, namespace: string, name: string, dimensions: Record<string, unknown>, stat = 'Sum') {
  return {
    Id: id,
    ReturnData: false,
    MetricStat: {
      Metric: { Namespace: namespace, MetricName: name, Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })) },
      Period: PERIOD,
      Stat: stat,
    },
  };
}

export function operationsResources(input: OperationsInput): Record<string, Resource> {
  const actions = input.alarmTopicArn ? { AlarmActions: [input.alarmTopicArn], OKActions: [input.alarmTopicArn] } : {};
  const service = { service: input.stackPrefix };
  const resources: Record<string, Resource> = {};

  function alarm(logicalId: string, name: string, description: string, properties: Record<string, unknown>) {
    resources[logicalId] = {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        AlarmName: `${input.stackPrefix}-${name}`,
        AlarmDescription: description,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        DatapointsToAlarm: 1,
        TreatMissingData: 'notBreaching',
        ...actions,
        ...properties,
      },
    };
  }

  for (const [name, logicalId] of Object.entries(input.functions)) {
    const fn = { FunctionName: { Ref: logicalId } };
    alarm(`${upper(name)}FailuresAlarm`, `${name}-failures`, `${name}: a Lambda error (crash, timeout) or a 5xx answer in 5 minutes`, {
      Threshold: 1,
      Metrics: [
        metric('errors', 'AWS/Lambda', 'Errors', fn),
        // lib/support/metrics.ts names the function as Lambda does (the Ref of the function).
        metric('answers', input.metricsNamespace, 'ServerErrors', { ...service, function: { Ref: logicalId } }),
        { Id: 'failures', Expression: 'FILL(errors, 0) + FILL(answers, 0)', Label: 'errors and 5xx answers', ReturnData: true },
      ],
    });
  }

  alarm('AuthorizerThrottlesAlarm', 'authorizer-throttles', 'The authorizer was throttled: protected routes answer 500/503 meanwhile', {
    Threshold: 1,
    Namespace: 'AWS/Lambda',
    MetricName: 'Throttles',
    Dimensions: [{ Name: 'FunctionName', Value: { Ref: input.functions[input.authorizer] } }],
    Statistic: 'Sum',
    Period: PERIOD,
  });
  alarm('Api5xxAlarm', 'api-5xx', 'The HTTP API answered 5xx (including API Gateway\u2019s own, e.g. an authorizer failure)', {
    Threshold: 1,
    Namespace: 'AWS/ApiGateway',
    MetricName: '5xx',
    Dimensions: [
      { Name: 'ApiId', Value: { Ref: 'HttpApi' } },
      { Name: 'Stage', Value: '$default' },
    ],
    Statistic: 'Sum',
    Period: PERIOD,
  });
  const table = { TableName: { Ref: 'AuthTable' } };
  alarm('TableThrottlesAlarm', 'table-throttles', 'DynamoDB throttled reads or writes of the table', {
    Threshold: 1,
    Metrics: [
      metric('reads', 'AWS/DynamoDB', 'ReadThrottleEvents', table),
      metric('writes', 'AWS/DynamoDB', 'WriteThrottleEvents', table),
      { Id: 'throttled', Expression: 'FILL(reads, 0) + FILL(writes, 0)', Label: 'throttled requests', ReturnData: true },
    ],
  });
  const systemErrors = TABLE_OPERATIONS.map((operation, i) => metric(`op${i}`, 'AWS/DynamoDB', 'SystemErrors', { ...table, Operation: operation }));
  alarm('TableSystemErrorsAlarm', 'table-system-errors', 'DynamoDB answered the table\u2019s requests with internal (5xx) errors', {
    Threshold: 1,
    Metrics: [...systemErrors, { Id: 'errors', Expression: systemErrors.map((m) => `FILL(${m.Id}, 0)`).join(' + '), Label: 'system errors', ReturnData: true }],
  });
  alarm('RotationDeadLettersAlarm', 'rotation-failed', 'A scheduled key rotation failed after its retries: its event is in the failure queue', {
    Threshold: 1,
    Namespace: 'AWS/SQS',
    MetricName: 'ApproximateNumberOfMessagesVisible',
    Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['RotationFailureQueue', 'QueueName'] } }],
    Statistic: 'Maximum',
    Period: PERIOD,
  });
  const own = (name: string) => ({
    Namespace: input.metricsNamespace,
    MetricName: name,
    Dimensions: [{ Name: 'service', Value: input.stackPrefix }],
    Statistic: 'Sum',
    Period: PERIOD,
  });
  alarm(
    'FailedLoginsAlarm',
    'failed-logins',
    `At least ${input.failedLoginAlarmThreshold} failed logins in 5 minutes: password guessing or credential stuffing`,
    {
      Threshold: input.failedLoginAlarmThreshold,
      ...own('LoginFailures'),
    },
  );
  alarm('LockoutsAlarm', 'lockouts', `At least ${Math.max(1, Math.ceil(input.failedLoginAlarmThreshold / 10))} logins refused by the throttle in 5 minutes`, {
    Threshold: Math.max(1, Math.ceil(input.failedLoginAlarmThreshold / 10)),
    ...own('LoginsThrottled'),
  });
  alarm('RefreshReuseAlarm', 'refresh-reuse', 'A spent refresh token was presented again: a token may have been stolen (its session was revoked)', {
    Threshold: 1,
    ...own('RefreshTokenReuse'),
  });
  // Lazy migration (docs/migration.md): the legacy system not answering means its users not yet
  // moved get 503 at login. Without MIGRATE_FROM_URL nothing is counted and the alarm stays quiet.
  alarm(
    'LegacyLoginFailuresAlarm',
    'legacy-login-failures',
    'At least 5 calls to the legacy system (lazy migration) failed in 5 minutes: its users not yet moved get 503',
    {
      Threshold: 5,
      ...own('LegacyLoginFailures'),
    },
  );
  // Security events (issue 18): one not written to the table (the request went on without it), one
  // not handed to EventBridge (the stream retries it), one that failed every retry (in the queue).
  alarm('SecurityEventWriteFailuresAlarm', 'security-event-writes', 'A security event could not be written to the table: the audit trail has a gap', {
    Threshold: 1,
    ...own('SecurityEventWriteFailures'),
  });
  alarm(
    'SecurityEventPublishFailuresAlarm',
    'security-event-publishing',
    'EventBridge refused security events: subscribers get them late (the stream retries them)',
    {
      Threshold: 1,
      ...own('SecurityEventPublishFailures'),
    },
  );
  alarm('SecurityEventDeadLettersAlarm', 'security-events-lost', 'Security events failed every retry to EventBridge: their records are in the failure queue', {
    Threshold: 1,
    Namespace: 'AWS/SQS',
    MetricName: 'ApproximateNumberOfMessagesVisible',
    Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['SecurityEventFailureQueue', 'QueueName'] } }],
    Statistic: 'Maximum',
    Period: PERIOD,
  });

  resources.OperationsDashboard = { Type: 'AWS::CloudWatch::Dashboard', Properties: dashboard(input) };
  return resources;
}

/** One page: traffic and errors, latency, the service's own counts, the table, every function's errors. */
function dashboard(input: OperationsInput): Record<string, unknown> {
  /** A Fn::Sub reference: the body is one string, so the ids and the region are filled in by CloudFormation. */
  const sub = (name: string) => `\${${name}}`;
  const region = sub('AWS::Region');
  const api = ['AWS/ApiGateway', 'Count', 'ApiId', sub('HttpApi'), 'Stage', '$default'];
  const ownMetric = (name: string) => [input.metricsNamespace, name, 'service', input.stackPrefix];
  const widget = (title: string, metrics: unknown[][], x: number, y: number, stat = 'Sum') => ({
    type: 'metric',
    x,
    y,
    width: 12,
    height: 6,
    properties: { title, region, stat, period: PERIOD, view: 'timeSeries', metrics },
  });
  const functionErrors = Object.values(input.functions).map((logicalId) => ['AWS/Lambda', 'Errors', 'FunctionName', sub(logicalId)]);
  const body = {
    widgets: [
      widget('API requests and errors', [api, ['.', '4xx', '.', '.', '.', '.'], ['.', '5xx', '.', '.', '.', '.']], 0, 0),
      widget(
        'API latency (p50, p99)',
        [
          ['AWS/ApiGateway', 'Latency', 'ApiId', sub('HttpApi'), 'Stage', '$default', { stat: 'p50' }],
          ['...', { stat: 'p99' }],
        ],
        12,
        0,
        'p50',
      ),
      widget(
        'Logins, failures, lockouts, refresh reuse',
        ['Logins', 'LoginFailures', 'LoginsThrottled', 'RefreshTokenReuse', 'TokensIssued'].map(ownMetric),
        0,
        6,
      ),
      widget(
        'Table: throttles and system errors',
        [
          ['AWS/DynamoDB', 'ReadThrottleEvents', 'TableName', sub('AuthTable')],
          ['.', 'WriteThrottleEvents', '.', '.'],
          ['AWS/DynamoDB', 'SystemErrors', 'TableName', sub('AuthTable'), 'Operation', 'TransactWriteItems'],
        ],
        12,
        6,
      ),
      widget('Function errors', functionErrors, 0, 12),
      widget(
        'Authorizer: duration and throttles',
        [
          ['AWS/Lambda', 'Duration', 'FunctionName', sub(input.functions[input.authorizer]!), { stat: 'p99' }],
          ['.', 'Throttles', '.', '.', { stat: 'Sum' }],
        ],
        12,
        12,
        'p99',
      ),
    ],
  };
  return { DashboardName: input.stackPrefix, DashboardBody: { 'Fn::Sub': JSON.stringify(body) } };
}

// `serverless package` works without AWS credentials, and the CloudFormation it generates has the
// table we rely on (keys, TTL, recovery, protection), least-privilege roles, the arm64 binary, and
// the operations items of issue 14: alarms, dashboard, access log, retention, the rotation's failure
// queue, the authorizer's reserved concurrency. The stage packaged is stages/ci.yml.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { httpLambdas } from '../../lib/routes/table.ts';

const run = promisify(execFile);

interface Resource {
  Type: string;
  Properties: Record<string, any>;
}
let resources: Record<string, Resource>;
/** IAM names a table's index apart from the table: Queries of gsi1 need this resource. */
const GSI1_ARN = { 'Fn::Join': ['/', [{ 'Fn::GetAtt': ['AuthTable', 'Arn'] }, 'index', 'gsi1']] };
let outputs: Record<string, unknown>;
let packageDir: string;
let templateText: string;

const serverlessCli = (args: string[], env: NodeJS.ProcessEnv) =>
  run(process.execPath, ['node_modules/osls/bin/serverless.js', ...args], { env, timeout: 240_000 });

beforeAll(async () => {
  packageDir = await mkdtemp(join(tmpdir(), 'auth-package-'));
  const env = {
    ...process.env,
    ESBUILD_WORK_FOLDER: '.esbuild-package',
    // A deploying shell's variable must not reach a deployed stage (it did when settings were ${env:…}).
    LOGIN_MAX_FAILURES: '7',
    SLS_TELEMETRY_DISABLED: '1',
    AWS_ACCESS_KEY_ID: '',
    AWS_SECRET_ACCESS_KEY: '',
    AWS_PROFILE: '',
  };
  await serverlessCli(['package', '--stage', 'ci', '--package', packageDir], env);
  templateText = await readFile(join(packageDir, 'cloudformation-template-update-stack.json'), 'utf8');
  const template = JSON.parse(templateText);
  resources = template.Resources;
  outputs = template.Outputs;
}, 300_000);

const byType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
/** The async-invocation settings (retries, failure destination) of one function. */
const invokeConfigOf = (functionLogicalId: string) =>
  byType('AWS::Lambda::EventInvokeConfig').find(([, config]) => config.Properties.FunctionName?.Ref === functionLogicalId)![1];

describe('the deployed template', () => {
  it('declares the single table with its keys, index, TTL, recovery and deletion protection', () => {
    const table = resources.AuthTable!;
    expect(table.Type).toBe('AWS::DynamoDB::Table');
    expect(table.Properties.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(table.Properties.GlobalSecondaryIndexes[0]).toMatchObject({
      IndexName: 'gsi1',
      KeySchema: [
        { AttributeName: 'gsi1pk', KeyType: 'HASH' },
        { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
      ],
    });
    expect(table.Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(table.Properties.DeletionProtectionEnabled).toBe(true);
    expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
  });

  it('runs every function on nodejs24.x arm64 with its own role', () => {
    const functions = byType('AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThanOrEqual(7);
    for (const [, fn] of functions) {
      expect(fn.Properties.Runtime).toBe('nodejs24.x');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
      expect(fn.Properties.Role).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/Role$/), 'Arn'] });
    }
  });

  it('grants each role only named table actions on the table itself, and gsi1 Queries only to the roles that list', () => {
    const allowed = new Map<string, string[]>();
    const counted: string[] = [];
    const listers: string[] = [];
    /** Grants limited to other key prefixes (the OAuth clients' items), by role. */
    const scoped = new Map<string, { actions: string[]; keys: string[] }[]>();
    for (const [name, role] of byType('AWS::IAM::Role')) {
      // No table action at all: its grants are checked in 'security events published to EventBridge'.
      if (name === 'PublishSecurityEventsRole') continue;
      const statements = (role.Properties.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement);
      for (const statement of statements) {
        if (statement.Action.includes('ses:SendEmail')) {
          // Mail: only SendEmail, only from the configured identity and sender.
          expect(statement.Action).toEqual(['ses:SendEmail']);
          expect(JSON.stringify(statement.Resource)).toContain(':identity/auth.example.org');
          expect(statement.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'no-reply@auth.example.org' } });
          continue;
        }
        if (statement.Action.includes('sqs:SendMessage')) {
          // Only the rotation, only to its own failure queue.
          expect(name).toBe('RotateKeysRole');
          expect(statement).toMatchObject({ Action: ['sqs:SendMessage'], Resource: { 'Fn::GetAtt': ['RotationFailureQueue', 'Arn'] } });
          continue;
        }
        if (JSON.stringify(statement.Resource).includes('gsi1')) {
          // Per-user listings: Query on gsi1, nothing else, only for the roles that list.
          expect(statement).toEqual({ Effect: 'Allow', Action: ['dynamodb:Query'], Resource: GSI1_ARN });
          listers.push(name);
          continue;
        }
        expect(statement.Resource).toEqual({ 'Fn::GetAtt': ['AuthTable', 'Arn'] });
        for (const action of statement.Action) expect(action).toMatch(/^dynamodb:[A-Z][A-Za-z]+$/);
        const keys: string[] | undefined = statement.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'];
        if (keys && !keys.includes('IPBUDGET#*')) {
          expect(Object.keys(statement.Condition)).toEqual(['ForAllValues:StringLike']);
          scoped.set(name, [...(scoped.get(name) ?? []), { actions: statement.Action, keys }]);
        } else if (statement.Condition?.['ForAllValues:StringLike']) {
          // The abuse counters: their own key prefixes only.
          expect(statement.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['IPBUDGET#*', 'LOGINFAIL#*', 'MAILQUOTA#*'] } });
          expect(statement.Action).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']);
          counted.push(name);
        }
      }
      allowed.set(
        name,
        statements.filter((s: any) => !s.Condition?.['ForAllValues:StringLike'] && !JSON.stringify(s.Resource).includes('gsi1')).flatMap((s: any) => s.Action),
      );
    }
    // Every role of a function behind a per-IP budget or a password check may count, no other.
    expect(counted.sort()).toEqual([
      'AccountDeletionRole',
      'AccountPageRole',
      'CompatRole',
      'EmailVerifyRole',
      'LoginRole',
      'MeAccountRole',
      'MfaLoginRole',
      'OAuthLoginRole',
      'OAuthRegisterRole',
      'OAuthRevokeRole',
      'OAuthTokenRole',
      'PasswordResetRole',
      'RegisterRole',
      'ServiceTokenRole',
    ]);
    // gsi1 lists a user's sessions and owned items: the sessions list and export (TokenReaderRole),
    // RP-initiated logout ending a browser session's app sessions (OAuthPagesRole), the account
    // page, and an account's deletion.
    expect(listers.sort()).toEqual(['AccountDeletionRole', 'AccountPageRole', 'OAuthPagesRole', 'TokenReaderRole']);
    // RFC 7591 registration writes clients and reads initial access tokens; CORS reads client origins; nothing more.
    expect(scoped.get('OAuthRegisterRole')).toEqual([
      { actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], keys: ['CLIENT#*', 'CLIENTORIGIN#*', 'REGTOKEN#*'] },
    ]);
    expect(scoped.get('ClientOriginReaderRole')).toEqual([{ actions: ['dynamodb:Query'], keys: ['CLIENTORIGIN#*'] }]);
    expect(allowed.get('RegisterRole')?.sort()).toEqual(['dynamodb:ConditionCheckItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'ses:SendEmail']);
    // Only the roles of functions that send mail may send mail.
    const senders = [...allowed]
      .filter(([, actions]) => actions.includes('ses:SendEmail'))
      .map(([name]) => name)
      .sort();
    // MfaLoginRole and OAuthLoginRole: a recovery code used at the second step (JSON API, hosted pages) is mailed to the owner.
    // MeAccountRole and EmailChangeRole: a changed password or address is told to the owner (issue 18).
    // AccountDeletionRole: DELETE /me tells the owner the account was deleted (issue 18).
    // AccountPageRole: the account page's password change, email change and deletion mail as those endpoints do.
    expect(senders).toEqual([
      'AccountDeletionRole',
      'AccountPageRole',
      'CompatRole',
      'EmailChangeRole',
      'EmailVerifyRole',
      'MeAccountRole',
      'MfaLoginRole',
      'OAuthLoginRole',
      'PasswordResetRole',
      'RegisterRole',
    ]);
    expect(allowed.get('KeyReaderRole')).toEqual(['dynamodb:Query']);
    expect(allowed.get('NoDataRole')).toEqual([]);
    // The authorizer, /me and /introspect read, and may write nothing but an API token's last use.
    expect(allowed.get('TokenReaderRole')?.sort()).toEqual(['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem']);
    const readerStatements = resources.TokenReaderRole!.Properties.Policies[0].PolicyDocument.Statement;
    expect(readerStatements.find((s: any) => s.Action.includes('dynamodb:UpdateItem')).Condition).toEqual({
      'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['pk', 'sk', 'lastUsedAt'] },
    });
    expect([...allowed.values()].flat()).not.toContain('dynamodb:DeleteTable');
  });

  it('throttles the API stage itself rather than sharing the account-wide default', () => {
    const [[, stage]] = byType('AWS::ApiGatewayV2::Stage') as [[string, Resource]];
    expect(stage.Properties.DefaultRouteSettings).toEqual({ ThrottlingRateLimit: 500, ThrottlingBurstLimit: 1000 });
  });

  it('tells every function its own API endpoint, the default issuer', () => {
    for (const [, fn] of byType('AWS::Lambda::Function')) {
      expect(fn.Properties.Environment.Variables.API_ENDPOINT).toEqual({ 'Fn::GetAtt': ['HttpApi', 'ApiEndpoint'] });
    }
  });

  it('exports the API URL, the table name and the authorizer for other stacks', () => {
    expect(Object.keys(outputs)).toEqual(expect.arrayContaining(['ApiUrl', 'TableName', 'AuthorizerArn']));
    expect(outputs.AuthorizerArn).toMatchObject({
      Value: { 'Fn::GetAtt': ['AuthorizerLambdaFunction', 'Arn'] },
      Export: { Name: 'auth-service-ci-AuthorizerArn' },
    });
  });

  it('puts /whoami behind the Lambda authorizer with simple responses and no result cache', () => {
    const [[, authorizer]] = byType('AWS::ApiGatewayV2::Authorizer') as [[string, Resource]];
    expect(authorizer.Properties).toMatchObject({
      AuthorizerType: 'REQUEST',
      EnableSimpleResponses: true,
      AuthorizerPayloadFormatVersion: '2.0',
      AuthorizerResultTtlInSeconds: 0,
    });
    const routes = byType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties);
    const whoami = routes.find((r) => r.RouteKey === 'ANY /whoami');
    expect(whoami).toMatchObject({ AuthorizationType: 'CUSTOM' });
    // Our own token routes check tokens in-process (same checker) to answer RFC 6750 401s.
    expect(routes.find((r) => r.RouteKey === 'ANY /me')?.AuthorizationType).toBeUndefined();
  });

  it('packages the argon2 binary for Lambda (linux arm64), not for the build machine', async () => {
    // Entry names are stored uncompressed in a zip, so the archive's bytes name its files.
    const zip = (await readFile(join(packageDir, 'login.zip'))).toString('latin1');
    expect(zip).toContain('node_modules/@node-rs/argon2-linux-arm64-gnu/');
    expect(zip).not.toContain('argon2-linux-x64');
  });

  it('ships Swagger UI only with the docs function, which serves it', async () => {
    const docs = (await readFile(join(packageDir, 'docs.zip'))).toString('latin1');
    expect(docs).toContain('node_modules/swagger-ui-dist/swagger-ui-bundle.js');
    const login = (await readFile(join(packageDir, 'login.zip'))).toString('latin1');
    expect(login).not.toContain('swagger-ui-dist');
  });

  it('ships @simplewebauthn/browser only with the page-assets function, which serves it to the hosted pages', async () => {
    const assets = (await readFile(join(packageDir, 'pageAssets.zip'))).toString('latin1');
    expect(assets).toContain('node_modules/@simplewebauthn/browser/dist/bundle/index.umd.min.js');
    // Not even with the pages that link it.
    for (const other of ['login', 'oauthLogin', 'account']) {
      expect((await readFile(join(packageDir, `${other}.zip`))).toString('latin1'), other).not.toContain('@simplewebauthn/browser');
    }
  });

  it('alarms on every function, the API, the authorizer, the table, the rotation and the service\u2019s own metrics', () => {
    const alarms = new Map(byType('AWS::CloudWatch::Alarm').map(([id, alarm]) => [id, alarm.Properties]));
    const functions = byType('AWS::Lambda::Function').map(([id]) => id);
    for (const functionId of functions) {
      // Lambda errors of that function plus the 5xx answers it rendered, as one alarm.
      const alarm = [...alarms.values()].find((a) => JSON.stringify(a.Metrics ?? []).includes(`"Ref":"${functionId}"`));
      expect(alarm, `an alarm for ${functionId}`).toBeDefined();
      expect(JSON.stringify(alarm!.Metrics)).toContain('"MetricName":"ServerErrors"');
    }
    expect(alarms.get('AuthorizerThrottlesAlarm')).toMatchObject({ MetricName: 'Throttles', Dimensions: [{ Value: { Ref: 'AuthorizerLambdaFunction' } }] });
    expect(alarms.get('Api5xxAlarm')).toMatchObject({ Namespace: 'AWS/ApiGateway', MetricName: '5xx' });
    expect(JSON.stringify(alarms.get('TableThrottlesAlarm'))).toMatch(/ReadThrottleEvents.*WriteThrottleEvents/);
    expect(JSON.stringify(alarms.get('TableSystemErrorsAlarm'))).toContain('TransactWriteItems');
    expect(alarms.get('RotationDeadLettersAlarm')).toMatchObject({
      Namespace: 'AWS/SQS',
      Dimensions: [{ Value: { 'Fn::GetAtt': ['RotationFailureQueue', 'QueueName'] } }],
    });
    expect(alarms.get('FailedLoginsAlarm')).toMatchObject({ MetricName: 'LoginFailures', Threshold: 200 });
    expect(alarms.get('LockoutsAlarm')).toMatchObject({ MetricName: 'LoginsThrottled' });
    expect(alarms.get('RefreshReuseAlarm')).toMatchObject({ MetricName: 'RefreshTokenReuse', Threshold: 1 });
    // Every alarm notifies the stage's topic (deploy.alarmTopicArn in stages/ci.yml).
    for (const [id, alarm] of alarms) expect(alarm.AlarmActions, id).toEqual(['arn:aws:sns:eu-west-1:123456789012:auth-alarms']);
    expect(byType('AWS::CloudWatch::Dashboard')).toHaveLength(1);
  });

  it('sends a scheduled rotation that failed its retries to a queue', () => {
    const invokeConfig = invokeConfigOf('RotateKeysLambdaFunction');
    expect(invokeConfig.Properties).toMatchObject({
      FunctionName: { Ref: 'RotateKeysLambdaFunction' },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['RotationFailureQueue', 'Arn'] } } },
    });
  });

  it('finishes half-done account deletions every hour, with the deletion role, and no retry (the next run is one)', () => {
    const rules = byType('AWS::Events::Rule').filter(([, rule]) => JSON.stringify(rule.Properties.Targets).includes('FinishDeletionsLambdaFunction'));
    expect(rules.map(([, rule]) => rule.Properties.ScheduleExpression)).toEqual(['rate(1 hour)']);
    expect(resources.FinishDeletionsLambdaFunction!.Properties.Role).toEqual({ 'Fn::GetAtt': ['AccountDeletionRole', 'Arn'] });
    expect(invokeConfigOf('FinishDeletionsLambdaFunction').Properties.MaximumRetryAttempts).toBe(0);
  });

  it('writes a JSON access log without query strings, and keeps every log for the configured retention', () => {
    const [[, stage]] = byType('AWS::ApiGatewayV2::Stage') as [[string, Resource]];
    const format = JSON.parse(stage.Properties.AccessLogSettings.Format);
    expect(Object.keys(format)).toEqual(expect.arrayContaining(['requestId', 'routeKey', 'status', 'latencyMs', 'sourceIp']));
    // Only fields that cannot carry a token: no path, no query string, no header but the user agent.
    expect(Object.values(format).join(' ')).not.toMatch(/\$context\.(path|querystring|identity\.apiKey)|\$request\./i);
    const logGroups = byType('AWS::Logs::LogGroup');
    expect(logGroups.length).toBe(byType('AWS::Lambda::Function').length + 1);
    for (const [, group] of logGroups) expect(group.Properties.RetentionInDays).toBe(365);
  });

  it('reserves the configured concurrency for the authorizer only', () => {
    const reserved = byType('AWS::Lambda::Function').filter(([, fn]) => fn.Properties.ReservedConcurrentExecutions !== undefined);
    expect(reserved.map(([id, fn]) => [id, fn.Properties.ReservedConcurrentExecutions])).toEqual([['AuthorizerLambdaFunction', 50]]);
  });

  it('maps the optional custom domain, and records what decides the issuer', () => {
    expect(resources.CustomDomain).toMatchObject({ Condition: 'HasCustomDomain', Properties: { DomainName: 'auth.example.org' } });
    expect(resources.CustomDomainMapping).toMatchObject({ Properties: { ApiId: { Ref: 'HttpApi' }, Stage: '$default' } });
    expect(outputs.IssuerSetting).toMatchObject({ Value: 'https://auth.example.org' });
  });

  it('takes settings only from the stage file: nothing of the deploying shell reaches a function', () => {
    for (const [, fn] of byType('AWS::Lambda::Function')) {
      const variables = fn.Properties.Environment.Variables;
      expect(variables.SES_FROM).toBe('no-reply@auth.example.org');
      // Set in the test's shell above, in the stage file nowhere.
      expect(variables.LOGIN_MAX_FAILURES).toBe('');
    }
  });

  describe('signing keys under KMS', () => {
    const logicalId = (name: string) => `${name[0]!.toUpperCase()}${name.slice(1)}LambdaFunction`;
    const roleOf = (name: string) => resources[logicalId(name)]!.Properties.Role['Fn::GetAtt'][0] as string;
    const signing = [
      ...httpLambdas()
        .filter((lambda) => lambda.signsTokens)
        .map((lambda) => lambda.name),
      'rotateKeys',
    ];
    const signingRoles = () => [...new Set(signing.map(roleOf))].sort();
    const stageContext = { StringEquals: { 'kms:EncryptionContext:service': 'auth-service', 'kms:EncryptionContext:stage': 'ci' } };
    // Signing keys only: the TOTP secrets sealed under the same key are out of the signing roles' reach.
    const context = { ...stageContext, StringNotLike: { 'kms:EncryptionContext:kid': 'totp:*' } };
    const totpContext = { ...stageContext, StringLike: { 'kms:EncryptionContext:kid': 'totp:*' } };
    const roleNames = (principal: any) =>
      [principal.AWS]
        .flat()
        .map((arn: any) => arn['Fn::GetAtt'][0] as string)
        .sort();

    it('puts no secret into any function environment, nor KEY_ENCRYPTION_SECRET anywhere in the template', () => {
      expect(templateText).not.toContain('KEY_ENCRYPTION_SECRET');
      for (const [name, fn] of byType('AWS::Lambda::Function')) {
        const variables = fn.Properties.Environment.Variables as Record<string, unknown>;
        for (const [variable, value] of Object.entries(variables)) {
          expect(variable, name).not.toMatch(/SECRET|PASSWORD|PRIVATE|CREDENTIAL/i);
          // Settings are short names, URLs, numbers or references to resources: nothing that looks like key material.
          if (typeof value === 'string') expect(value, `${name}.${variable}`).not.toMatch(/[A-Za-z0-9+/_-]{40,}/);
        }
        expect(variables.KMS_KEY_ID).toEqual({ 'Fn::GetAtt': ['SigningKeysKmsKey', 'Arn'] });
        expect(variables).toMatchObject({ KEY_CONTEXT_SERVICE: 'auth-service', KEY_CONTEXT_STAGE: 'ci' });
      }
    });

    it('creates a customer-managed key with rotation on, administered by the account and naming the roles that may use it', () => {
      const key = resources.SigningKeysKmsKey!;
      expect(key.Type).toBe('AWS::KMS::Key');
      expect(key.Properties.EnableKeyRotation).toBe(true);
      const statements = key.Properties.KeyPolicy.Statement as any[];
      const root = statements.find((statement) => statement.Sid === 'AccountAdministers');
      expect(JSON.stringify(root.Principal)).toContain(':root');
      const decrypt = statements.find((statement) => statement.Sid === 'SigningFunctionsDecrypt');
      expect(decrypt.Action).toBe('kms:Decrypt');
      expect(roleNames(decrypt.Principal)).toEqual(signingRoles());
      expect(decrypt.Condition).toEqual(context);
      const generate = statements.find((statement) => statement.Sid === 'RotationGeneratesDataKeys');
      expect(generate.Principal.AWS['Fn::GetAtt'][0]).toBe('RotateKeysRole');
      expect(generate.Condition).toEqual(context);
      // TOTP enrolment (issue 17): data keys for `totp:<user>` contexts only.
      // The hosted pages enrol too: the account page (AccountPageRole), and the login page under MFA_POLICY=required (OAuthLoginRole).
      const totp = statements.find((statement) => statement.Sid === 'TotpEnrolmentGeneratesDataKeys');
      expect(totp).toMatchObject({ Action: 'kms:GenerateDataKey', Condition: totpContext });
      expect(roleNames(totp.Principal)).toEqual(['AccountPageRole', 'MfaRole', 'OAuthLoginRole']);
      // MfaRole is only the enrolling function's: listing factors, recovery codes and removing a passkey have no KMS grant.
      const functionsOf = (role: string) =>
        byType('AWS::Lambda::Function')
          .filter(([, fn]) => fn.Properties.Role['Fn::GetAtt'][0] === role)
          .map(([id]) => id);
      expect(functionsOf('MfaRole')).toEqual(['MfaTotpLambdaFunction']);
      expect(functionsOf('MfaManageRole').sort()).toEqual(['MfaFactorsLambdaFunction', 'MfaRecoveryCodesLambdaFunction', 'PasskeyLambdaFunction']);
      expect(statements.filter((statement) => JSON.stringify(statement.Action).includes('kms:GenerateDataKey'))).toHaveLength(2);
      // Checking a code opens the secret: the second step's functions only, `totp:<user>` contexts only.
      const totpDecrypt = statements.find((statement) => statement.Sid === 'TotpCheckersDecrypt');
      expect(totpDecrypt).toMatchObject({ Action: 'kms:Decrypt', Condition: totpContext });
      expect(roleNames(totpDecrypt.Principal)).toEqual(['AccountPageRole', 'MfaLoginRole', 'OAuthLoginRole']);
      expect(statements.filter((statement) => JSON.stringify(statement.Action).includes('kms:Decrypt'))).toHaveLength(2);
    });

    it('lets only the signing roles decrypt, with an encryption-context condition, and only rotation generate data keys', () => {
      const grants = new Map<string, Set<string>>();
      for (const [name, policy] of byType('AWS::IAM::Policy')) {
        for (const statement of policy.Properties.PolicyDocument.Statement) {
          expect(statement.Resource).toEqual({ 'Fn::GetAtt': ['SigningKeysKmsKey', 'Arn'] });
          if (name === 'TotpSecretsSealPolicy') {
            // TOTP enrolment (issue 17): GenerateDataKey for `totp:*` contexts, nothing else.
            expect(statement).toMatchObject({ Action: ['kms:GenerateDataKey'], Condition: totpContext });
            expect(policy.Properties.Roles).toEqual([{ Ref: 'AccountPageRole' }, { Ref: 'MfaRole' }, { Ref: 'OAuthLoginRole' }]);
            continue;
          }
          if (name === 'TotpSecretsOpenPolicy') {
            // Checking TOTP codes: Decrypt for `totp:*` contexts, nothing else.
            expect(statement).toMatchObject({ Action: ['kms:Decrypt'], Condition: totpContext });
            expect(policy.Properties.Roles).toEqual([{ Ref: 'AccountPageRole' }, { Ref: 'MfaLoginRole' }, { Ref: 'OAuthLoginRole' }]);
            continue;
          }
          expect(statement.Condition).toEqual(context);
          for (const role of policy.Properties.Roles) {
            for (const action of statement.Action) grants.set(action, (grants.get(action) ?? new Set()).add(role.Ref));
          }
        }
      }
      expect([...grants.get('kms:Decrypt')!].sort()).toEqual(signingRoles());
      expect([...grants.get('kms:GenerateDataKey')!]).toEqual(['RotateKeysRole']);
      expect([...grants.keys()].sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
      // The verify-only functions have no KMS permission at all.
      for (const verifier of ['authorizer', 'me', 'jwks', 'introspect']) expect(signingRoles()).not.toContain(roleOf(verifier));
      for (const [name, role] of byType('AWS::IAM::Role')) expect(JSON.stringify(role.Properties), name).not.toContain('kms:');
    });

    it('makes the first keys at deploy time: a custom resource backed by the rotation function, after its KMS grants', () => {
      const [[name, resource]] = byType('Custom::SigningKeys') as [[string, Resource & { DependsOn: string[] }]];
      expect(name).toBe('SigningKeys');
      expect(resource.Properties.ServiceToken).toEqual({ 'Fn::GetAtt': ['RotateKeysLambdaFunction', 'Arn'] });
      expect(resource.DependsOn).toEqual(expect.arrayContaining(['AuthTable', 'SigningKeysDecryptPolicy', 'SigningKeysGeneratePolicy']));
    });
  });
});

describe('security events published to EventBridge', () => {
  const mapping = () => {
    const mappings = byType('AWS::Lambda::EventSourceMapping');
    expect(mappings).toHaveLength(1);
    return mappings[0]![1].Properties;
  };

  it('streams the table\u2019s new images and creates the bus, with its name and ARN as outputs', () => {
    expect(resources.AuthTable!.Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
    expect(resources.SecurityEventBus).toMatchObject({ Type: 'AWS::Events::EventBus', Properties: { Name: 'auth-service-ci-security-events' } });
    expect(outputs.SecurityEventBusName).toMatchObject({ Value: { Ref: 'SecurityEventBus' }, Export: { Name: 'auth-service-ci-SecurityEventBusName' } });
    expect(outputs.SecurityEventBusArn).toMatchObject({ Value: { 'Fn::GetAtt': ['SecurityEventBus', 'Arn'] } });
  });

  it('triggers the publisher with new securityEvent items only, partial batch answers, bisection, bounded retries and a failure queue', () => {
    const properties = mapping();
    expect(properties).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': ['AuthTable', 'StreamArn'] },
      FunctionName: { 'Fn::GetAtt': ['PublishSecurityEventsLambdaFunction', 'Arn'] },
      StartingPosition: 'LATEST',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['SecurityEventFailureQueue', 'Arn'] } } },
    });
    expect(properties.MaximumRetryAttempts).toBeGreaterThan(0);
    expect(properties.MaximumRetryAttempts).toBeLessThanOrEqual(10);
    expect(properties.MaximumRecordAgeInSeconds).toBeLessThanOrEqual(86_400);
    expect(properties.FilterCriteria.Filters.map((filter: { Pattern: string }) => JSON.parse(filter.Pattern))).toEqual([
      { eventName: ['INSERT'], dynamodb: { NewImage: { type: { S: ['securityEvent'] } } } },
    ]);
    const fn = resources.PublishSecurityEventsLambdaFunction!.Properties;
    expect(fn.Role).toEqual({ 'Fn::GetAtt': ['PublishSecurityEventsRole', 'Arn'] });
    expect(fn.Environment.Variables).toMatchObject({ SECURITY_EVENT_BUS_NAME: { Ref: 'SecurityEventBus' }, SECURITY_EVENT_SOURCE: 'auth-service' });
  });

  it('lets the publisher put events on that bus only, read that stream only, and reach its failure queue: nothing else', () => {
    const statements = resources.PublishSecurityEventsRole!.Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement);
    expect(statements).toEqual([
      { Effect: 'Allow', Action: ['events:PutEvents'], Resource: { 'Fn::GetAtt': ['SecurityEventBus', 'Arn'] } },
      {
        Effect: 'Allow',
        Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'],
        Resource: { 'Fn::GetAtt': ['AuthTable', 'StreamArn'] },
      },
      { Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: { 'Fn::GetAtt': ['SecurityEventFailureQueue', 'Arn'] } },
    ]);
    // No other role may publish.
    for (const [name, role] of byType('AWS::IAM::Role')) {
      if (name !== 'PublishSecurityEventsRole') expect(JSON.stringify(role.Properties), name).not.toContain('events:PutEvents');
    }
  });

  it('alarms on events not written, not published, and lost after every retry', () => {
    const alarms = new Map(byType('AWS::CloudWatch::Alarm').map(([id, alarm]) => [id, alarm.Properties]));
    expect(alarms.get('SecurityEventWriteFailuresAlarm')).toMatchObject({ MetricName: 'SecurityEventWriteFailures', Threshold: 1 });
    expect(alarms.get('SecurityEventPublishFailuresAlarm')).toMatchObject({ MetricName: 'SecurityEventPublishFailures', Threshold: 1 });
    // Lazy migration: the legacy system failing to answer (its users not yet moved get 503).
    expect(alarms.get('LegacyLoginFailuresAlarm')).toMatchObject({ MetricName: 'LegacyLoginFailures', Threshold: 5 });
    expect(alarms.get('SecurityEventDeadLettersAlarm')).toMatchObject({
      Namespace: 'AWS/SQS',
      Dimensions: [{ Value: { 'Fn::GetAtt': ['SecurityEventFailureQueue', 'QueueName'] } }],
    });
  });
});

describe('a stage that is not deployable', () => {
  it('fails `serverless package --stage prod` before building anything, naming each missing setting', async () => {
    const failure = await serverlessCli(['package', '--stage', 'prod', '--package', join(packageDir, 'prod')], {
      ...process.env,
      SLS_TELEMETRY_DISABLED: '1',
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
    }).then(
      () => undefined,
      (error: { stdout: string; stderr: string }) => `${error.stdout}${error.stderr}`,
    );
    expect(failure).toContain('stages/prod.yml: settings.SES_FROM is required');
    expect(failure).toContain('stages/prod.yml: deploy.sesIdentity is required');
  });
});

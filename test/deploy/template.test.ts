// `serverless package` works without AWS credentials, and the CloudFormation it generates has the
// table we rely on (keys, TTL, recovery, protection), least-privilege roles and the arm64 binary.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);

interface Resource {
  Type: string;
  Properties: Record<string, any>;
}
let resources: Record<string, Resource>;
let outputs: Record<string, unknown>;
let packageDir: string;

beforeAll(async () => {
  packageDir = await mkdtemp(join(tmpdir(), 'auth-package-'));
  const env = {
    ...process.env,
    ESBUILD_WORK_FOLDER: '.esbuild-package',
    SLS_TELEMETRY_DISABLED: '1',
    AWS_ACCESS_KEY_ID: '',
    AWS_SECRET_ACCESS_KEY: '',
    AWS_PROFILE: '',
  };
  await run(process.execPath, ['node_modules/osls/bin/serverless.js', 'package', '--stage', 'ci', '--package', packageDir], { env, timeout: 240_000 });
  const template = JSON.parse(await readFile(join(packageDir, 'cloudformation-template-update-stack.json'), 'utf8'));
  resources = template.Resources;
  outputs = template.Outputs;
}, 300_000);

const byType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

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

  it('runs every function on nodejs22.x arm64 with its own role', () => {
    const functions = byType('AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThanOrEqual(7);
    for (const [, fn] of functions) {
      expect(fn.Properties.Runtime).toBe('nodejs22.x');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
      expect(fn.Properties.Role).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/Role$/), 'Arn'] });
    }
  });

  it('grants each role only named table actions on the table itself', () => {
    const allowed = new Map<string, string[]>();
    const counted: string[] = [];
    for (const [name, role] of byType('AWS::IAM::Role')) {
      const statements = (role.Properties.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement);
      for (const statement of statements) {
        if (statement.Action.includes('ses:SendEmail')) {
          // Mail: only SendEmail, only from the configured identity and sender.
          expect(statement.Action).toEqual(['ses:SendEmail']);
          expect(JSON.stringify(statement.Resource)).toContain(':identity/example.com');
          expect(statement.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'no-reply@example.com' } });
          continue;
        }
        expect(statement.Resource).toEqual({ 'Fn::GetAtt': ['AuthTable', 'Arn'] });
        for (const action of statement.Action) expect(action).toMatch(/^dynamodb:[A-Z][A-Za-z]+$/);
        if (statement.Condition?.['ForAllValues:StringLike']) {
          // The abuse counters: their own key prefixes only.
          expect(statement.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['IPBUDGET#*', 'LOGINFAIL#*', 'MAILQUOTA#*'] } });
          expect(statement.Action).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']);
          counted.push(name);
        }
      }
      allowed.set(
        name,
        statements.filter((s: any) => !s.Condition?.['ForAllValues:StringLike']).flatMap((s: any) => s.Action),
      );
    }
    // Every role of a function behind a per-IP budget or a password check may count, no other.
    expect(counted.sort()).toEqual(['CompatRole', 'EmailVerifyRole', 'LoginRole', 'PasswordResetRole', 'RegisterRole', 'ServiceTokenRole']);
    expect(allowed.get('RegisterRole')?.sort()).toEqual(['dynamodb:ConditionCheckItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'ses:SendEmail']);
    // Only the roles of functions that send mail may send mail.
    const senders = [...allowed]
      .filter(([, actions]) => actions.includes('ses:SendEmail'))
      .map(([name]) => name)
      .sort();
    expect(senders).toEqual(['CompatRole', 'EmailVerifyRole', 'PasswordResetRole', 'RegisterRole']);
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
});

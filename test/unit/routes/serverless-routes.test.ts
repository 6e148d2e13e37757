// serverless.yml must route exactly what the route table declares: the same functions, the same
// paths, the authorizer where the table says so, and each function's handler file; a route added
// to one and not the other fails here.
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { httpLambdas } from '../../../lib/routes/table.ts';

interface HttpApiEvent {
  httpApi: '*' | { path: string; method: string; authorizer?: { name: string } };
}
interface FunctionEntry {
  handler: string;
  role: string;
  events?: (HttpApiEvent | Record<string, unknown>)[];
}
interface Resource {
  Type: string;
  DependsOn?: string[];
  Properties: Record<string, any>;
}

const serverless = load(readFileSync('serverless.yml', 'utf8')) as {
  functions: Record<string, FunctionEntry>;
  resources: { Resources: Record<string, Resource> };
};

/** serverless.yml's HTTP functions: name, handler file, paths and whether the authorizer guards them. */
function httpFunctions() {
  return Object.entries(serverless.functions).flatMap(([name, entry]) => {
    const events = (entry.events ?? []).filter((event): event is HttpApiEvent => 'httpApi' in event && event.httpApi !== '*');
    if (!events.length) return [];
    return [
      {
        name,
        file: entry.handler.replace(/^functions\//, '').replace(/\.handler$/, ''),
        paths: events.map((event) => (event.httpApi as { path: string }).path).sort(),
        methods: [...new Set(events.map((event) => (event.httpApi as { method: string }).method))],
        behindAuthorizer: events.some((event) => (event.httpApi as { authorizer?: unknown }).authorizer !== undefined),
      },
    ];
  });
}

describe('serverless.yml and the route table', () => {
  const table = httpLambdas();

  it('declare the same HTTP functions', () => {
    expect(
      httpFunctions()
        .map((f) => f.name)
        .sort(),
    ).toEqual(table.map((lambda) => lambda.name).sort());
  });

  it.each(table.map((lambda) => [lambda.name, lambda] as const))('%s: same handler file, paths and authorizer', (name, lambda) => {
    const declared = httpFunctions().find((f) => f.name === name);
    expect(declared).toMatchObject({
      file: lambda.file,
      paths: [...lambda.httpApiPaths].sort(),
      // Every method reaches the function, which answers 405 itself (with Allow, in the dialect's shape).
      methods: ['*'],
      behindAuthorizer: lambda.behindAuthorizer === true,
    });
  });

  it('every declared path is served by a path serverless.yml routes to that function', () => {
    const matches = (template: string, path: string) =>
      new RegExp(
        `^${template
          .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
          .replace(/\{proxy\\\+\}/g, '.+')
          .replace(/\{\w+\}/g, '[^/]+')}$`,
      ).test(path);
    for (const lambda of table) {
      for (const operation of lambda.operations) {
        const concrete = operation.path.replace(/\{\w+\}/g, 'x');
        expect(
          lambda.httpApiPaths.some((template) => matches(template, concrete)),
          `${lambda.name}: ${operation.method} ${operation.path}`,
        ).toBe(true);
      }
    }
  });

  it('no two functions declare the same operation', () => {
    const keys = table.flatMap((lambda) => lambda.operations.map((operation) => `${operation.method} ${operation.path}`));
    expect(keys.length).toBe(new Set(keys).size);
  });
});

describe('KMS access in serverless.yml follows the route table', () => {
  const resources = serverless.resources.Resources;
  // The functions that sign: those the route table says issue tokens, and the key rotation.
  const signing = [
    ...httpLambdas()
      .filter((lambda) => lambda.signsTokens)
      .map((lambda) => lambda.name),
    'rotateKeys',
  ];
  const roleOf = (name: string) => serverless.functions[name]!.role;
  const signingRoles = [...new Set(signing.map(roleOf))].sort();
  const refs = (list: { Ref?: string; 'Fn::GetAtt'?: [string, string] }[]) => list.map((item) => item.Ref ?? item['Fn::GetAtt']![0]).sort();

  it('lists the signing functions the issue names, and none that only verify', () => {
    expect([...signing].sort()).toEqual(
      [
        'account',
        'compatEclecticiq',
        'compatMinisass',
        'compatOpentact',
        'compatTcap',
        'login',
        'loginMfa',
        'loginWebauthn',
        'mfaTotpConfirm',
        'oauthLogin',
        'oauthToken',
        'passkeyRegistration',
        'refresh',
        'rotateKeys',
        'serviceToken',
      ].sort(),
    );
    for (const verifier of ['authorizer', 'me', 'jwks', 'introspect', 'whoami', 'logout', 'apiTokens']) expect(signing).not.toContain(verifier);
  });

  it('gives no function that does not sign a role that may decrypt', () => {
    for (const [name, entry] of Object.entries(serverless.functions)) {
      if (signingRoles.includes(entry.role)) expect(signing, `${name} shares a signing role (${entry.role})`).toContain(name);
    }
  });

  it('lets exactly the signing roles decrypt, in their IAM policy and in the key policy, and only rotation generate data keys', () => {
    expect(refs(resources.SigningKeysDecryptPolicy!.Properties.Roles)).toEqual(signingRoles);
    expect(refs(resources.SigningKeysGeneratePolicy!.Properties.Roles)).toEqual([roleOf('rotateKeys')]);
    const statements = resources.SigningKeysKmsKey!.Properties.KeyPolicy.Statement as { Sid: string; Action: string; Principal: { AWS: any } }[];
    const decrypt = statements.find((statement) => statement.Action === 'kms:Decrypt')!;
    expect(refs(decrypt.Principal.AWS)).toEqual(signingRoles);
    const generate = statements.find((statement) => statement.Sid === 'RotationGeneratesDataKeys')!;
    expect(refs([generate.Principal.AWS])).toEqual([roleOf('rotateKeys')]);
    // TOTP enrolment (issue 17) makes data keys too, for `totp:*` contexts only.
    const totp = statements.filter((statement) => statement.Action === 'kms:GenerateDataKey' && statement.Sid !== 'RotationGeneratesDataKeys');
    expect(totp.map((statement) => statement.Sid)).toEqual(['TotpEnrolmentGeneratesDataKeys']);
    // The hosted account page enrols TOTP too (and the login page under MFA_POLICY=required): their roles (issue 17, pages;
    // the account page has its own since issue 18).
    const sealers = [roleOf('mfaTotp'), roleOf('account'), roleOf('oauthLogin')].sort();
    expect(refs([totp[0]!.Principal.AWS].flat())).toEqual(sealers);
    expect(refs(resources.TotpSecretsSealPolicy!.Properties.Roles)).toEqual(sealers);
  });

  it('gives no role an inline KMS permission outside those policies', () => {
    for (const [name, resource] of Object.entries(resources)) {
      if (resource.Type !== 'AWS::IAM::Role') continue;
      expect(JSON.stringify(resource.Properties.Policies ?? []), name).not.toMatch(/kms:/);
    }
  });
});

// The rules of a stage's settings file (scripts/serverless/stage-checks.ts), which `serverless
// package` and `deploy` apply before building anything; test/deploy/ runs them through serverless.
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { issuerChangeProblem, issuerSetting, type StageFile, stageProblems } from '../../../scripts/serverless/stage-checks.ts';

const good: StageFile = {
  settings: { SES_FROM: 'no-reply@auth.example.org', PUBLIC_URL: 'https://auth.example.org' },
  deploy: { sesIdentity: 'auth.example.org' },
};

describe('a stage file', () => {
  it('is deployable with a sender, its SES identity and valid settings', () => {
    expect(stageProblems('prod', good)).toEqual([]);
  });

  it('must exist, and says where to create it', () => {
    expect(stageProblems('prod', null)).toEqual([expect.stringContaining('create stages/prod.yml')]);
  });

  it('names each required entry that is missing', () => {
    expect(stageProblems('prod', { settings: {}, deploy: {} })).toEqual([
      'stages/prod.yml: settings.SES_FROM is required: the sender address of every mail',
      'stages/prod.yml: deploy.sesIdentity is required',
    ]);
  });

  it('checks each setting against its declaration in lib/config/, naming the setting and the rule', () => {
    const problems = stageProblems('prod', { ...good, settings: { ...good.settings, ACCESS_TOKEN_TTL: '5', LOGIN_MAX_FAILURES: 'many' } });
    expect(problems).toEqual([
      expect.stringMatching(/^stages\/prod\.yml: settings\.ACCESS_TOKEN_TTL must be between/),
      expect.stringMatching(/^stages\/prod\.yml: settings\.LOGIN_MAX_FAILURES must be a whole number/),
    ]);
  });

  it('refuses a setting the service does not read (a typo would otherwise be ignored)', () => {
    expect(stageProblems('prod', { ...good, settings: { ...good.settings, ACCESS_TOKEN_TTLS: '900' } })).toEqual([
      expect.stringContaining('settings.ACCESS_TOKEN_TTLS is not a setting this service reads'),
    ]);
  });

  it('refuses a secret, which would be readable in the template and the function configuration', () => {
    expect(stageProblems('prod', { ...good, settings: { ...good.settings, KEY_ENCRYPTION_SECRET: 'x'.repeat(40) } })).toEqual([
      expect.stringContaining('settings.KEY_ENCRYPTION_SECRET is a secret and must not be in a stage file'),
    ]);
  });

  it('refuses local endpoints and what serverless.yml sets itself', () => {
    expect(stageProblems('prod', { ...good, settings: { ...good.settings, DYNAMODB_ENDPOINT: 'http://localhost:8000', TABLE_NAME: 't' } })).toHaveLength(2);
  });

  it('checks the deploy parameters: unknown ones, values, and the pairs that go together', () => {
    const problems = stageProblems('prod', {
      ...good,
      deploy: {
        ...good.deploy,
        logRetentionDays: 42,
        alarmTopicArn: 'my-topic',
        authorizerReservedConcurrency: 0,
        customDomainName: 'auth.example.org',
        extra: 1,
      },
    });
    expect(problems).toEqual([
      'stages/prod.yml: deploy.extra is not a deploy parameter (see docs/deploying.md#stage-settings)',
      expect.stringContaining('deploy.logRetentionDays must be a retention CloudWatch Logs accepts'),
      expect.stringContaining('deploy.alarmTopicArn must be an SNS topic ARN'),
      expect.stringContaining('deploy.authorizerReservedConcurrency must be a whole number from 1'),
      expect.stringContaining('deploy.customDomainName and deploy.customDomainCertificateArn go together'),
    ]);
  });

  it('wants PUBLIC_URL on the custom domain, and the sender inside the SES identity', () => {
    const problems = stageProblems('prod', {
      settings: { SES_FROM: 'no-reply@other.example', PUBLIC_URL: 'https://api.example.org' },
      deploy: {
        sesIdentity: 'auth.example.org',
        customDomainName: 'auth.example.org',
        customDomainCertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc',
      },
    });
    expect(problems).toEqual([
      expect.stringContaining('settings.PUBLIC_URL must be https://auth.example.org'),
      expect.stringContaining('settings.SES_FROM (no-reply@other.example) must be the identity'),
    ]);
  });

  it('lets the local stage take everything from the environment, with nothing required', () => {
    expect(stageProblems('local', { localOnly: true, settings: { TABLE_NAME: 't', DYNAMODB_ENDPOINT: 'http://localhost:8000' }, deploy: {} })).toEqual([]);
  });

  it.each(['prod', 'ci'])('holds for the committed stages/%s.yml as far as it is filled in', (stage) => {
    const file = load(readFileSync(`stages/${stage}.yml`, 'utf8')) as StageFile;
    const problems = stageProblems(stage, file);
    // prod.yml ships without the two entries only its owners can know; ci.yml is complete.
    expect(problems).toEqual(
      stage === 'prod' ? [expect.stringContaining('settings.SES_FROM is required'), expect.stringContaining('deploy.sesIdentity is required')] : [],
    );
  });
});

describe('the issuer guard', () => {
  it('takes ISSUER, else PUBLIC_URL, else the API endpoint', () => {
    expect(issuerSetting({ settings: { ISSUER: 'https://i.example', PUBLIC_URL: 'https://p.example' } })).toBe('https://i.example');
    expect(issuerSetting({ settings: { PUBLIC_URL: 'https://p.example' } })).toBe('https://p.example');
    expect(issuerSetting({ settings: {} })).toBe('api-endpoint');
  });

  it('stops a deploy that changes the issuer unless it is allowed, and never stops a first deploy', () => {
    expect(issuerChangeProblem('https://old.example', 'https://new.example', false)).toMatch(
      /makes every token already issued invalid.*allowIssuerChange=true/,
    );
    expect(issuerChangeProblem('https://old.example', 'https://new.example', true)).toBeUndefined();
    expect(issuerChangeProblem('https://same.example', 'https://same.example', false)).toBeUndefined();
    expect(issuerChangeProblem(undefined, 'https://new.example', false)).toBeUndefined();
  });
});

// The rules a stage's settings file (stages/<stage>.yml) must keep before `serverless package` or
// `deploy` builds anything: every setting is one lib/config/ declares and its value passes that
// declaration's schema, what a deployed stage cannot do without is present, and no secret is in
// it (a stage file ends up in the CloudFormation template). A deploy that would change the issuer
// of a stage, which ends every token already issued, needs an explicit parameter.
// The serverless plugin (stage-settings.cjs) only wires these rules to the lifecycle.
import { SECTIONS } from '../../lib/config/all.ts';
import { validateEnvironment } from '../../lib/config/validate.ts';

/** A stage file as serverless resolved it (`${file(./stages/<stage>.yml)}`), or null when there is none. */
export interface StageFile {
  /** Environment variables of every function (docs/configuration.md). */
  settings?: Record<string, unknown> | null;
  /** Parameters of the stack itself (docs/deploying.md#stage-settings). */
  deploy?: Record<string, unknown> | null;
  /** The local stage (npm start, tests): its settings come from the shell; it is never deployed. */
  localOnly?: boolean;
}

/** Settings a stage file may not hold: they would be readable in the template and the function configuration. */
const SECRET_SETTINGS = new Set(['KEY_ENCRYPTION_SECRET']);

/** Set by serverless.yml itself or by Lambda, never by a stage file. */
const FIXED_SETTINGS = new Set([
  'TABLE_NAME',
  'API_ENDPOINT',
  'AWS_REGION',
  'DYNAMODB_ENDPOINT',
  'SES_ENDPOINT',
  'KMS_ENDPOINT',
  'KMS_KEY_ID',
  'KEY_CONTEXT_SERVICE',
  'KEY_CONTEXT_STAGE',
]);

/** The deploy parameters and how each is checked; `required` ones have no safe default. */
const DEPLOY_PARAMETERS: Record<string, { required?: boolean; check: (value: string) => string | undefined }> = {
  sesIdentity: {
    required: true,
    check: (v) => (/^([^@\s]+@)?[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(v) ? undefined : 'must be a domain or an address verified in SES'),
  },
  apiThrottleRate: { check: wholeNumberCheck(1, 100_000) },
  apiThrottleBurst: { check: wholeNumberCheck(1, 100_000) },
  logRetentionDays: {
    // The values CloudWatch Logs accepts for a log group's retention (PutRetentionPolicy).
    check: (v) =>
      [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653].includes(Number(v))
        ? undefined
        : 'must be a retention CloudWatch Logs accepts (e.g. 30, 90, 365, 731, 3653)',
  },
  alarmTopicArn: { check: (v) => (v === '' || /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]+$/.test(v) ? undefined : 'must be an SNS topic ARN') },
  authorizerReservedConcurrency: { check: (v) => (v === '' ? undefined : wholeNumberCheck(1, 10_000)(v)) },
  failedLoginAlarmThreshold: { check: wholeNumberCheck(1, 1_000_000) },
  customDomainName: { check: (v) => (v === '' || /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(v) ? undefined : 'must be a host name') },
  customDomainCertificateArn: {
    check: (v) => (v === '' || /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[\w-]+$/.test(v) ? undefined : 'must be an ACM certificate ARN'),
  },
};

function wholeNumberCheck(min: number, max: number) {
  return (value: string) => (/^\d+$/.test(value) && Number(value) >= min && Number(value) <= max ? undefined : `must be a whole number from ${min} to ${max}`);
}

const DECLARED = new Set(SECTIONS.flatMap((section) => section.variableNames));

/** A YAML value as the environment string Lambda would get ('' for null). */
function asText(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

/** Every problem of a stage file, one line each naming the file and the setting; empty when it is good. */
export function stageProblems(stage: string, file: StageFile | null | undefined): string[] {
  const path = `stages/${stage}.yml`;
  if (!file) return [`there are no settings for stage "${stage}": create ${path} (docs/deploying.md#stage-settings lists what it holds)`];
  const settings = file.settings ?? {};
  const deploy = file.deploy ?? {};
  const problems: string[] = [];

  for (const name of Object.keys(settings)) {
    if (SECRET_SETTINGS.has(name))
      problems.push(`${path}: settings.${name} is a secret and must not be in a stage file (it would be readable in the template)`);
    else if (FIXED_SETTINGS.has(name) && !file.localOnly)
      problems.push(`${path}: settings.${name} is set by serverless.yml, by Lambda or only locally, not by a deployed stage`);
    else if (!DECLARED.has(name)) problems.push(`${path}: settings.${name} is not a setting this service reads (see docs/configuration.md)`);
  }
  if (!file.localOnly) {
    if (!asText(settings.SES_FROM)) problems.push(`${path}: settings.SES_FROM is required: the sender address of every mail`);
  }
  const environment: Record<string, string> = { TABLE_NAME: 'checked-at-package-time', API_ENDPOINT: 'https://api.execute-api.amazonaws.com' };
  for (const [name, value] of Object.entries(settings)) if (DECLARED.has(name) && !SECRET_SETTINGS.has(name)) environment[name] = asText(value);
  for (const problem of validateEnvironment(environment)) {
    const [name] = problem.split(' ', 1);
    // The secret's own rules belong to the migration off it, not to a stage (it must not be set here).
    if (name && !SECRET_SETTINGS.has(name) && name in settings) problems.push(`${path}: settings.${problem}`);
  }

  for (const name of Object.keys(deploy)) {
    if (!(name in DEPLOY_PARAMETERS)) problems.push(`${path}: deploy.${name} is not a deploy parameter (see docs/deploying.md#stage-settings)`);
  }
  for (const [name, rule] of Object.entries(DEPLOY_PARAMETERS)) {
    const value = asText(deploy[name]);
    if (!value) {
      if (rule.required && !file.localOnly) problems.push(`${path}: deploy.${name} is required`);
      continue;
    }
    const problem = rule.check(value);
    if (problem) problems.push(`${path}: deploy.${name} ${problem}, got "${value}"`);
  }
  if (Boolean(asText(deploy.customDomainName)) !== Boolean(asText(deploy.customDomainCertificateArn))) {
    problems.push(`${path}: deploy.customDomainName and deploy.customDomainCertificateArn go together (set both or neither)`);
  }
  const domain = asText(deploy.customDomainName).toLowerCase();
  if (domain && asText(settings.PUBLIC_URL).replace(/\/+$/, '').toLowerCase() !== `https://${domain}`) {
    problems.push(`${path}: settings.PUBLIC_URL must be https://${domain} when deploy.customDomainName is set, so links and the issuer use the domain`);
  }
  const sender = asText(settings.SES_FROM).toLowerCase();
  const identity = asText(deploy.sesIdentity).toLowerCase();
  if (sender && identity && sender !== identity && !sender.endsWith(`@${identity}`)) {
    problems.push(`${path}: settings.SES_FROM (${sender}) must be the identity deploy.sesIdentity (${identity}) or an address at that domain`);
  }
  return problems;
}

/**
 * What decides the `iss` of every token, as configured: ISSUER, else PUBLIC_URL, else the API's own
 * endpoint (stable for the stack's life). Kept as a stack output so the next deploy can compare.
 */
export function issuerSetting(file: StageFile | null | undefined): string {
  const settings = file?.settings ?? {};
  return asText(settings.ISSUER) || asText(settings.PUBLIC_URL) || 'api-endpoint';
}

/** Why a deploy must stop because it changes the issuer, or undefined when it may go on. */
export function issuerChangeProblem(deployed: string | undefined, next: string, allowed: boolean): string | undefined {
  if (deployed === undefined || deployed === next || allowed) return undefined;
  return (
    `this deploy changes the token issuer of the stage from "${deployed}" to "${next}", which makes every token already issued invalid. ` +
    'If that is intended, deploy again with --param="allowIssuerChange=true".'
  );
}

// Configuration of the AWS region every client (DynamoDB, SES) works in.
import { text } from '../kinds.ts';
import { defineSection, type Env, variable } from '../section.ts';

export const awsSection = defineSection({
  name: 'aws',
  variables: {
    region: variable('AWS_REGION', {
      kind: text('an AWS region name'),
      fallback: 'us-east-1',
      defaultText: '`us-east-1` locally; set by Lambda',
      description: 'region of DynamoDB and SES',
      setByLambda: true,
    }),
  },
  shape: (values) => values,
});

export type AwsConfig = ReturnType<typeof awsSection.read>;
export const AWS_VARIABLES = awsSection.variableNames;

/** The region, read once per environment. */
export const awsConfig = (env: Env = process.env): AwsConfig => awsSection.read(env);

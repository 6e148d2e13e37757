// Configuration of the one DynamoDB table: its name and, locally, the endpoint of DynamoDB Local.
import { text } from '../kinds.ts';
import { defineSection, type Env, variable } from '../section.ts';

export const tableSection = defineSection({
  name: 'table',
  variables: {
    tableName: variable('TABLE_NAME', {
      kind: text('a DynamoDB table name'),
      fallback: 'auth-service-local',
      defaultText: '`auth-service-local` (serverless.yml sets `auth-service-<stage>`)',
      description: 'the DynamoDB table',
    }),
    dynamodbEndpoint: variable('DYNAMODB_ENDPOINT', {
      kind: text('a URL'),
      fallback: undefined as string | undefined,
      defaultText: 'empty (AWS)',
      description: 'DynamoDB endpoint override; `npm start` points it at DynamoDB Local',
    }),
  },
  shape: (values) => values,
});

export type TableConfig = ReturnType<typeof tableSection.read>;
export const TABLE_VARIABLES = tableSection.variableNames;

/** The table's name and endpoint, read once per environment. */
export const tableConfig = (env: Env = process.env): TableConfig => tableSection.read(env);

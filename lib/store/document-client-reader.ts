// DynamoDbReader on the SDK's DocumentClient: what every function but the authorizer uses.
import { BatchGetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDbReader } from '../aws/dynamodb-reader.ts';
import type { Db } from './client.ts';

export function documentClientReader(db: Db): DynamoDbReader {
  return {
    batchGet: (input) => db.send(new BatchGetCommand(input)),
    query: (input) => db.send(new QueryCommand(input)),
    update: (input) => db.send(new UpdateCommand(input)),
  };
}

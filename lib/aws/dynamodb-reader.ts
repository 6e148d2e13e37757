// The DynamoDB operations checking a token performs, in the DocumentClient's shapes (plain
// JavaScript values, not attribute values): reads, and the one bookkeeping write (an API token's
// last use). Two implementations: the SDK's DocumentClient (lib/store/document-client-reader.ts)
// for every function, and the light client (./light-dynamodb/) for the Lambda authorizer, whose
// cold start cannot afford the SDK. The read code in lib/store/token-reads.ts is written once,
// against this. Both throw DependencyUnavailableError for what stays transient after retries and
// pass every other failure (a failed condition, say) unchanged.
// Only types come from the SDK package here; nothing of it is loaded at run time.
import type {
  BatchGetCommandInput,
  BatchGetCommandOutput,
  QueryCommandInput,
  QueryCommandOutput,
  UpdateCommandInput,
  UpdateCommandOutput,
} from '@aws-sdk/lib-dynamodb';

/** No caller reads the SDK's $metadata, and the light client has none to give. */
type Output<T> = Omit<T, '$metadata'>;

export interface DynamoDbReader {
  batchGet(input: BatchGetCommandInput): Promise<Output<BatchGetCommandOutput>>;
  query(input: QueryCommandInput): Promise<Output<QueryCommandOutput>>;
  update(input: UpdateCommandInput): Promise<Output<UpdateCommandOutput>>;
}

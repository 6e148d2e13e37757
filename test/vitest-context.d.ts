// Types for the values test/global-setup.ts provides, so inject('apiUrl') is a typed string.
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the API under serverless-offline, e.g. http://localhost:3100 */
    apiUrl: string;
    /** DynamoDB Local endpoint, e.g. http://127.0.0.1:8100 */
    dynamoEndpoint: string;
    /** aws-ses-v2-local endpoint; GET `${sesEndpoint}/store` lists the mails sent */
    sesEndpoint: string;
    /** The table the API uses */
    tableName: string;
    /** The local KMS endpoint (scripts/local-kms/), its key made afresh per run in a temporary directory */
    kmsEndpoint: string;
    /** The KMS key (alias) the API's signing keys are wrapped under, so in-process use cases share its keys */
    kmsKeyId: string;
    /** The local security events viewer (scripts/local-events/viewer.ts): GET `${eventsUrl}events.json` lists what was published */
    eventsUrl: string;
    /** The file the global setup writes once the stack has started or failed (test/support/stack-status.ts) */
    stackStatusFile: string;
  }
}

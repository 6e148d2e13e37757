// A CloudFormation custom resource's side of the protocol: the request event, and the answer PUT to
// the pre-signed S3 URL CloudFormation gives (ResponseURL). Written here in a few lines because
// AWS's `cfn-response` module exists only for functions whose code is inline in the template
// (ZipFile), not for a packaged function like ours, and the SDK has no call for it. Getting it right
// matters: a custom resource that never answers holds the stack in CREATE_IN_PROGRESS for an hour,
// and a failure must be answered FAILED (with a reason) or the deploy cannot roll back cleanly.
// The body is JSON and is sent with an empty Content-Type, as the URL was signed without one (any
// other type fails S3's signature check).
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface CustomResourceEvent {
  RequestType: 'Create' | 'Update' | 'Delete';
  ResponseURL: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  ResourceType: string;
  PhysicalResourceId?: string;
  ResourceProperties?: Record<string, unknown>;
}

/** Whether a Lambda event is a custom resource request (the scheduled rotation gets an EventBridge event). */
export function isCustomResourceEvent(event: unknown): event is CustomResourceEvent {
  const e = event as Partial<CustomResourceEvent> | null;
  return typeof e === 'object' && e !== null && typeof e.RequestType === 'string' && typeof e.ResponseURL === 'string';
}

export interface CustomResourceAnswer {
  status: 'SUCCESS' | 'FAILED';
  physicalResourceId: string;
  /** Shown in the stack's events: say what failed, never a secret. */
  reason?: string;
  data?: Record<string, string>;
}

/** PUTs the answer to the pre-signed ResponseURL; rejects if S3 does not accept it. */
export function answerCustomResource(event: CustomResourceEvent, answer: CustomResourceAnswer): Promise<void> {
  const body = JSON.stringify({
    Status: answer.status,
    // CloudFormation shows at most 4 KB of reason.
    Reason: (answer.reason ?? answer.status).slice(0, 1000),
    PhysicalResourceId: answer.physicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    NoEcho: false,
    ...(answer.data ? { Data: answer.data } : {}),
  });
  const url = new URL(event.ResponseURL);
  const request = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const put = request(url, { method: 'PUT', headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) }, timeout: 10_000 }, (response) => {
      response.resume();
      response.on('end', () =>
        response.statusCode && response.statusCode < 300 ? resolve() : reject(new Error(`The custom resource answer was refused: HTTP ${response.statusCode}`)),
      );
    });
    put.on('timeout', () => put.destroy(new Error('The custom resource answer timed out')));
    put.on('error', reject);
    put.end(body);
  });
}

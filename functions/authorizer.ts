// The Lambda authorizer for API Gateway: this stack's /whoami route, and any other team's API that
// attaches it by ARN (README "Protect your own API"). Answers HTTP API 2.0 simple responses and
// REST API TOKEN/REQUEST IAM policies; see lib/auth/authorizer.ts.
import { dependencies } from '../lib/app.ts';
import { createAuthorizer } from '../lib/auth/authorizer.ts';

export const handler = createAuthorizer(dependencies());

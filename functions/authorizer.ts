// The Lambda authorizer for API Gateway: this stack's /whoami route, and any other team's API that
// attaches it by ARN (README "Protect your own API"). Answers HTTP API 2.0 simple responses and
// REST API TOKEN/REQUEST IAM policies; see lib/auth/authorizer.ts. Its dependencies skip the AWS
// SDK for a fast cold start (lib/wiring/authorizer.ts).

import { createAuthorizer } from '../lib/auth/authorizer.ts';
import { authorizerDependencies } from '../lib/wiring/authorizer.ts';

export const handler = createAuthorizer(authorizerDependencies());

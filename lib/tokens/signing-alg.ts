// The one algorithm our tokens are signed with and our published keys are for.

/** RS256: API Gateway's built-in JWT authorizer accepts only RSA keys. */
export const SIGNING_ALG = 'RS256';

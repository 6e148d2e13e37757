// Response shapes the route declarations share, as JSON Schema (components in lib/openapi/schemas.ts).

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** `{user: User}` */
export const USER_ENVELOPE = { type: 'object', properties: { user: ref('User') } };

export const SESSION_TOKENS = 'SessionTokens';
export const MESSAGE = 'Message';
export const ANY_JSON = 'Any';

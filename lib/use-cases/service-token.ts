// Service tokens (TCAP's "short lived access token"): a user who may use a downstream service gets
// a token only that service accepts, valid for SERVICE_TOKEN_TTL (5 minutes by default).
import * as z from 'zod/mini';
import type { Dependencies } from '../app.ts';
import type { Service } from '../config.ts';
import { InsufficientPermissionError, ValidationError } from '../domain/errors.ts';
import { textField } from '../http/fields.ts';
import type { User } from '../domain/user.ts';
import { issueServiceToken } from '../tokens/service-tokens.ts';
import type { IssuedToken } from '../tokens/signed-jwt.ts';
import { credentialFields } from './login.ts';

export const serviceTokenSchema = z.strictObject({
  requested_service: textField('requested_service').check(
    z.minLength(1, { error: 'This field must not be empty.' }),
    z.maxLength(200, { error: 'Use at most 200 characters.' }),
  ),
  // TCAP's form: the user's credentials in the same body, instead of an access token.
  username: credentialFields.username,
  email: credentialFields.email,
  password: z.optional(credentialFields.password),
});

export interface ServiceTokenResult {
  service: Service;
  token: IssuedToken;
}

/** A service by its id or its display name, ignoring case and surrounding spaces. */
export function findService(requested: string, services: readonly Service[]): Service | undefined {
  const wanted = requested.trim().toLowerCase();
  return services.find((service) => service.id === wanted || service.name.toLowerCase() === wanted);
}

export async function issueServiceTokenFor(
  user: User,
  requestedService: string,
  deps: Pick<Dependencies, 'config' | 'keyRing' | 'clock' | 'serviceTokens'>,
): Promise<ServiceTokenResult> {
  const service = findService(requestedService, deps.config.services);
  if (!service) {
    const known = deps.config.services.map((s) => `"${s.name}"`).join(', ');
    throw new ValidationError([{ field: 'requested_service', message: `Unknown service; available: ${known || 'none'}.` }], 'Unknown service.');
  }
  if (service.permission && !user.permissions.includes(service.permission)) {
    throw new InsufficientPermissionError(`Using "${service.name}" needs the "${service.permission}" permission.`);
  }
  const token = await issueServiceToken(user, service, { keyRing: deps.keyRing, clock: deps.clock, settings: deps.serviceTokens });
  return { service, token };
}

// A plausible user record for signing benchmark tokens (the claims a real access token carries).
import { randomUUID } from 'node:crypto';
import type { User } from '../../lib/domain/user.ts';

export function benchUser(overrides: Partial<User> = {}): User {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    username: 'bench-user',
    email: 'bench-user@example.com',
    emailVerified: true,
    profile: {},
    passwordHash: 'unused',
    status: 'active',
    permissions: ['reports:read', 'reports:write'],
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

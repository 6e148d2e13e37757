// How a user appears on the wire (snake_case, never the password hash or internal fields).
import { PROFILE_FIELDS } from '../config/all.ts';
import type { User } from '../domain/user.ts';

export interface UserView {
  id: string;
  username: string;
  email: string;
  email_verified: boolean;
  first_name: string;
  last_name: string;
  organisation_type: string;
  organisation_name: string;
  country: string;
  job_title: string;
  permissions: string[];
  status: string;
  created_at: string;
  updated_at: string;
}

export function userView(user: User): UserView {
  const profile = Object.fromEntries(PROFILE_FIELDS.map((field) => [field, user.profile[field] ?? ''])) as Record<(typeof PROFILE_FIELDS)[number], string>;
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    email_verified: user.emailVerified,
    ...profile,
    permissions: user.permissions,
    status: user.status,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
  };
}

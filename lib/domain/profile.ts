// The optional profile fields an account may carry (TCAP's registration form); REQUIRED_PROFILE_FIELDS
// picks which of them registration demands.

export const PROFILE_FIELDS = ['first_name', 'last_name', 'organisation_type', 'organisation_name', 'country', 'job_title'] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];

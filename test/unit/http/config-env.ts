// The shared HTTP plumbing reads the configuration (CORS_ORIGINS) at the first request, so unit
// tests of handlers set the smallest valid environment before their first request.
export function useTestConfig(overrides: Record<string, string> = {}): void {
  Object.assign(process.env, { KEY_ENCRYPTION_SECRET: 'unit-test-secret-of-at-least-32-characters', PUBLIC_URL: 'http://localhost:3000', ...overrides });
}

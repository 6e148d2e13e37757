// POST /register over HTTP: the three body encodings, field validation, uniqueness (also under
// concurrency) and the body-level errors (malformed, too large, unsupported type).
import { describe, expect, it } from 'vitest';
import { api, errorFields, expectProblem, expectSecurityHeaders, newUser, registerUser, suffix } from './helpers.ts';

const USER_VIEW_FIELDS = [
  'id',
  'username',
  'email',
  'email_verified',
  'first_name',
  'last_name',
  'organisation_type',
  'organisation_name',
  'country',
  'job_title',
  'permissions',
  'status',
  'created_at',
  'updated_at',
].sort();

/** The created user as the wire shows it, and nothing secret. */
function expectUserView(view: any, sent: { username: string; email: string }): void {
  expect(Object.keys(view).sort()).toEqual(USER_VIEW_FIELDS);
  expect(view.username).toBe(sent.username);
  expect(view.email).toBe(sent.email);
  expect(view.id).toEqual(expect.any(String));
  expect(view.id.length).toBeGreaterThan(0);
  expect(view.email_verified).toBe(false);
  expect(view.permissions).toEqual(expect.any(Array));
  expect(view.status).toBe('active');
  expect(new Date(view.created_at).toISOString()).toBe(view.created_at);
  expect(new Date(view.updated_at).toISOString()).toBe(view.updated_at);
  const serialised = JSON.stringify(view);
  expect(serialised).not.toMatch(/pass|hash|argon/i);
}

describe('POST /register', () => {
  describe('creates an account', () => {
    it('from a JSON body: 201 {user} without any password or hash field', async () => {
      const user = newUser('json');
      const res = await api('/register', { json: { ...user, first_name: 'Jane', country: 'NL' } });
      expect(res.status, res.text).toBe(201);
      expect(res.headers.get('content-type')).toMatch(/^application\/json\b/);
      expect(Object.keys(res.body)).toEqual(['user']);
      expectUserView(res.body.user, user);
      expect(res.body.user.first_name).toBe('Jane');
      expect(res.body.user.country).toBe('NL');
      expectSecurityHeaders(res);
    });

    it('from an application/x-www-form-urlencoded body', async () => {
      const user = newUser('form');
      const res = await api('/register', {
        method: 'POST',
        body: new URLSearchParams({ ...user, job_title: 'Engineer' }),
      });
      expect(res.status, res.text).toBe(201);
      expectUserView(res.body.user, user);
      expect(res.body.user.job_title).toBe('Engineer');
    });

    it('from a multipart/form-data body', async () => {
      const user = newUser('multi');
      const form = new FormData();
      form.set('username', user.username);
      form.set('email', user.email);
      form.set('password', user.password);
      form.set('last_name', 'Doe');
      const res = await api('/register', { method: 'POST', body: form });
      expect(res.status, res.text).toBe(201);
      expectUserView(res.body.user, user);
      expect(res.body.user.last_name).toBe('Doe');
    });

    it('and the new account can log in', async () => {
      const { user, created } = await registerUser(newUser('then-login'));
      const res = await api('/login', { json: { username: user.username, password: user.password } });
      expect(res.status, res.text).toBe(200);
      expect(res.body.user.id).toBe(created.id);
    });
  });

  describe('400 with one error per bad field', () => {
    it('names every missing field once', async () => {
      const res = await api('/register', { json: {} });
      const problem = expectProblem(res, 400);
      expect(errorFields(problem).sort()).toEqual(['email', 'password', 'username']);
      for (const error of problem.errors) expect(error.message).toEqual(expect.any(String));
    });

    it('refuses an invalid email address', async () => {
      const res = await api('/register', { json: { ...newUser(), email: 'not-an-email' } });
      const problem = expectProblem(res, 400);
      expect(problem.errors).toEqual([{ field: 'email', message: 'Enter a valid email address.' }]);
    });

    it('refuses a short password', async () => {
      const res = await api('/register', { json: { ...newUser(), password: 'Ab1!x' } });
      const problem = expectProblem(res, 400);
      expect(errorFields(problem)).toEqual(['password']);
    });

    it('refuses a common password', async () => {
      const res = await api('/register', { json: { ...newUser(), password: 'password123' } });
      const problem = expectProblem(res, 400);
      expect(errorFields(problem)).toEqual(['password']);
      expect(problem.errors[0].message).toMatch(/common/i);
    });

    it('names an unknown field', async () => {
      const res = await api('/register', { json: { ...newUser(), favourite_colour: 'teal' } });
      const problem = expectProblem(res, 400);
      expect(errorFields(problem)).toEqual(['favourite_colour']);
    });

    it('gives a field that breaks two rules one error, not two', async () => {
      // "!" is both too short and made of a forbidden character: still one error for username.
      const res = await api('/register', { json: { ...newUser(), username: '!' } });
      const problem = expectProblem(res, 400);
      expect(errorFields(problem)).toEqual(['username']);
    });

    it('reports the password policy together with the other bad fields, in one answer', async () => {
      const res = await api('/register', {
        json: { username: newUser().username, email: 'not-an-email', password: 'short', favourite_colour: 'teal' },
      });
      const problem = expectProblem(res, 400);
      expect(errorFields(problem).sort()).toEqual(['email', 'favourite_colour', 'password']);
    });

    it('does not create the account when a field is bad', async () => {
      const user = newUser('rejected');
      await api('/register', { json: { ...user, unexpected: true } });
      const res = await api('/login', { json: { username: user.username, password: user.password } });
      expect(res.status).toBe(401);
    });
  });

  describe('409 when taken', () => {
    it('when the username is taken, compared case-insensitively', async () => {
      const id = suffix();
      await registerUser({ ...newUser(), username: `Jane_${id}` });
      const res = await api('/register', { json: { ...newUser(), username: `jane_${id}` } });
      const problem = expectProblem(res, 409);
      expect(errorFields(problem)).toEqual(['username']);
    });

    it('when the email is taken (also in another case)', async () => {
      const { user } = await registerUser(newUser('mail'));
      const exact = await api('/register', { json: { ...newUser(), email: user.email } });
      expect(errorFields(expectProblem(exact, 409))).toEqual(['email']);
      const shouted = await api('/register', { json: { ...newUser(), email: user.email.toUpperCase() } });
      expect(errorFields(expectProblem(shouted, 409))).toEqual(['email']);
    });

    it('10 concurrent registrations with one email: exactly one 201 and nine 409', async () => {
      const email = `race.${suffix()}@example.com`;
      const results = await Promise.all(Array.from({ length: 10 }, () => api('/register', { json: { ...newUser('race'), email } })));
      const statuses = results.map((res) => res.status);
      expect(
        statuses.filter((status) => status === 201),
        JSON.stringify(statuses),
      ).toHaveLength(1);
      expect(
        statuses.filter((status) => status === 409),
        JSON.stringify(statuses),
      ).toHaveLength(9);
      for (const res of results.filter((r) => r.status === 409)) {
        expect(errorFields(expectProblem(res, 409))).toEqual(['email']);
      }
    });
  });

  describe('body errors', () => {
    it('400 problem+json for malformed JSON', async () => {
      const res = await api('/register', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"username": "jane", "email": ',
      });
      expectProblem(res, 400);
    });

    it('413 for a body over 64 KiB', async () => {
      const res = await api('/register', { json: { ...newUser(), first_name: 'x'.repeat(64 * 1024 + 1) } });
      expectProblem(res, 413);
    });

    it('415 for text/plain', async () => {
      const user = newUser();
      const res = await api('/register', {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: `username=${user.username}&email=${user.email}&password=${user.password}`,
      });
      expectProblem(res, 415);
    });
  });
});

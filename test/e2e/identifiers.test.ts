// Canonical identifiers over HTTP (issue 15, findings 5 and 6): the attack strings are refused with a
// 400 naming the field on native register and miniSASS register, the stored address is the checked
// NFKC form, and names equal under full case folding are one account.
import { describe, expect, it } from 'vitest';
import { api, expectProblem, newUser, suffix } from './helpers.ts';

/** U+FE6B SMALL COMMERCIAL AT: NFKC makes it "@", so the address hides a second mailbox. */
const EMAIL_ATTACK = 'ceo\uFE6Bcorp.example<attacker@evil.example>';
/** "admin" with a Cyrillic "а" (U+0430): a look-alike of a Latin name. */
const USERNAME_ATTACK = () => `\u0430dmin_${suffix()}`;

const miniSass = (fields: Record<string, string>) => ({
  password: `test_password_${suffix()}`,
  organizationType: 'NGO',
  organizationName: 'test',
  country: 'South Africa',
  ...fields,
});

describe('canonical identifiers over HTTP', () => {
  it('native register refuses the email attack string with a 400 naming email', async () => {
    const res = await api('/register', { json: { ...newUser('mail'), email: EMAIL_ATTACK } });
    const problem = expectProblem(res, 400);
    expect(problem.errors).toEqual([{ field: 'email', message: 'Enter a valid email address.' }]);
  });

  it('native register refuses a Latin name with a Cyrillic letter, and spaces, parentheses and commas, naming username', async () => {
    for (const username of [USERNAME_ATTACK(), `jane doe ${suffix()}`, `jane(${suffix()})`, `a,b,${suffix()}`]) {
      const res = await api('/register', { json: { ...newUser('name'), username } });
      const problem = expectProblem(res, 400);
      expect(problem.errors, username).toEqual([{ field: 'username', message: expect.any(String) }]);
    }
  });

  it('miniSASS register refuses both attack strings with a 400 naming each field', async () => {
    const email = await api('/authentication/api/register/', { json: miniSass({ username: `u_${suffix()}`, email: EMAIL_ATTACK }) });
    expect(email.status, email.text).toBe(400);
    expect(email.body).toEqual({ email: ['Enter a valid email address.'] });
    const name = await api('/authentication/api/register/', { json: miniSass({ username: USERNAME_ATTACK(), email: `u.${suffix()}@example.com` }) });
    expect(name.status, name.text).toBe(400);
    expect(name.body).toEqual({ username: [expect.stringContaining('one script')] });
  });

  it('stores the NFKC form as typed, and treats "Straße" and "STRASSE" as one name', async () => {
    // Prepare: full-width letters in the address, ß in the name.
    const s = suffix();
    const user = { username: `Straße_${s}`, email: `Ｊａｎｅ.${s}@Example.com`, password: `Pw-${s}-correct-horse` };
    // Act.
    const created = await api('/register', { json: user });
    const duplicate = await api('/register', { json: { username: `STRASSE_${s}`, email: `other.${s}@example.com`, password: user.password } });
    const login = await api('/login', { json: { username: `strasse_${s}`, password: user.password } });
    // Assess.
    expect(created.status, created.text).toBe(201);
    expect(created.body.user.email).toBe(`Jane.${s}@Example.com`);
    expect(created.body.user.username).toBe(`Straße_${s}`);
    expect(expectProblem(duplicate, 409).errors).toEqual([{ field: 'username', message: expect.any(String) }]);
    expect(login.status, login.text).toBe(200);
  });

  it('forgot-password and resend refuse what is not a mailbox with a 400 naming email', async () => {
    for (const path of ['/password/forgot', '/email/verify/resend']) {
      const res = await api(path, { json: { email: EMAIL_ATTACK } });
      expect(expectProblem(res, 400).errors, path).toEqual([{ field: 'email', message: 'Enter a valid email address.' }]);
    }
  });
});

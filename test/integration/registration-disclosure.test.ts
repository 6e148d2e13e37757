// REGISTRATION_DISCLOSURE=email (issue 15, finding 4): the register handlers (native and miniSASS),
// loaded in this process with that setting and called with API Gateway events, against DynamoDB
// Local and aws-ses-v2-local. A taken email address answers exactly as a new one (status, body,
// headers), its owner is mailed instead, and nothing done afterwards with the name or password
// chosen tells the two apart. A taken username stays visible (409; on miniSASS, DRF's 400 naming it).
import { beforeAll, describe, expect, it } from 'vitest';
import { stackEnv } from '../support/deps.ts';
import { newestMail } from '../support/mailbox.ts';
import { type Answer, CHEAP_ARGON2, type Handler, type Handlers, keepProcessEnv, loadService, newAccount, send } from '../support/service-handlers.ts';

keepProcessEnv();

/** Headers that differ between any two answers (none today); everything else must be identical. */
const VOLATILE_HEADERS = new Set<string>();
const stableHeaders = (answer: Answer) => Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !VOLATILE_HEADERS.has(name.toLowerCase())));
const shape = (answer: Answer) => ({ status: answer.status, headers: stableHeaders(answer), body: answer.body });

describe('REGISTRATION_DISCLOSURE=email', () => {
  let handlers: Handlers;
  let miniSass: Handler;

  beforeAll(async () => {
    ({ handlers } = await loadService(
      stackEnv({ ...CHEAP_ARGON2, REGISTRATION_DISCLOSURE: 'email', IP_RATE_LIMIT_PER_MINUTE: '0', MAIL_REQUEST_MIN_MS: '100' }),
    ));
    miniSass = (await import('../../functions/compat-minisass.ts')).handler as Handler;
  });

  it('a taken email answers exactly as a new one, and its owner is told by mail', async () => {
    // Prepare: an account whose address a stranger then registers.
    const owner = newAccount();
    await send(handlers.register, '/register', { body: owner });
    const stranger = { ...newAccount(), email: owner.email };
    const newcomer = newAccount();

    // Act
    const taken = await send(handlers.register, '/register', { body: stranger });
    const fresh = await send(handlers.register, '/register', { body: newcomer });

    // Assess: one answer for both, with nothing about an account in it.
    expect(taken.status).toBe(202);
    expect(shape(taken)).toEqual(shape(fresh));
    expect(JSON.stringify(taken.body)).not.toContain(stranger.username);
    const warning = await newestMail(owner.email, { subject: 'tried to register' });
    expect(warning.body.text).toContain(`${stackEnv().PUBLIC_URL}/password/forgot`);
    expect(warning.body.text).toContain(owner.username);
    expect(warning.body.text).not.toContain(stranger.username);
    await newestMail(newcomer.email, { subject: 'Confirm your email address' });
  });

  it('nothing done afterwards with the chosen username or password tells a taken address from a new one', async () => {
    const owner = newAccount();
    await send(handlers.register, '/register', { body: owner });
    const stranger = { ...newAccount(), email: owner.email };
    const newcomer = newAccount();
    await send(handlers.register, '/register', { body: stranger });
    await send(handlers.register, '/register', { body: newcomer });

    // The username is taken in both cases, as a real registration's would be.
    const again = (account: typeof stranger) => send(handlers.register, '/register', { body: { ...newAccount(), username: account.username } });
    const [takenAgain, freshAgain] = [await again(stranger), await again(newcomer)];
    expect(takenAgain.status).toBe(409);
    expect(shape(takenAgain)).toEqual({ ...shape(freshAgain), body: { ...freshAgain.body, instance: takenAgain.body.instance } });

    // Logging in with the password just chosen fails alike: an unconfirmed address logs in nowhere.
    for (const login of [
      (a: typeof stranger) => ({ username: a.username, password: a.password }),
      (a: typeof stranger) => ({ email: a.email, password: a.password }),
    ]) {
      const [t, f] = [await send(handlers.login, '/login', { body: login(stranger) }), await send(handlers.login, '/login', { body: login(newcomer) })];
      expect(t.status).toBe(401);
      expect(shape(t)).toEqual(shape(f));
    }
  });

  it('a taken username is still a 409 naming it, and only it, even when the email is taken too', async () => {
    const owner = newAccount();
    await send(handlers.register, '/register', { body: owner });
    const both = await send(handlers.register, '/register', { body: { ...newAccount(), username: owner.username, email: owner.email } });
    const nameOnly = await send(handlers.register, '/register', { body: { ...newAccount(), username: owner.username } });
    for (const answer of [both, nameOnly]) {
      expect(answer.status).toBe(409);
      expect((answer.body.errors as { field: string }[]).map((e) => e.field)).toEqual(['username']);
    }
    expect(both.body.detail).toBe(nameOnly.body.detail);
  });

  it('a confirmed new account logs in', async () => {
    const account = newAccount();
    await send(handlers.register, '/register', { body: account });
    const mail = await newestMail(account.email, { subject: 'Confirm your email address' });
    const link = new URL(mail.body.text!.match(/https?:\/\/\S+/)![0]);
    const verifyHandler = (await import('../../functions/email-verify.ts')).handler as Handler;
    const verified = await send(verifyHandler, '/email/verify', { body: { token: link.searchParams.get('token') } });
    expect(verified.status, JSON.stringify(verified.body)).toBeLessThan(300);
    expect((await send(handlers.login, '/login', { body: { username: account.username, password: account.password } })).status).toBe(200);
  });

  it('miniSASS register/ answers its documented 201 alike for a taken and a new address, and mails the owner', async () => {
    const owner = newAccount();
    await send(handlers.register, '/register', { body: owner });
    const body = (account: ReturnType<typeof newAccount>) => ({ ...account, organizationType: 'NGO', organizationName: 'test', country: 'South Africa' });
    const taken = await send(miniSass, '/authentication/api/register/', { body: body({ ...newAccount(), email: owner.email }) });
    const fresh = await send(miniSass, '/authentication/api/register/', { body: body(newAccount()) });
    expect(taken.status).toBe(201);
    expect(shape(taken)).toEqual(shape(fresh));
    expect(Object.keys(taken.body)).toEqual(['detail']);
    await newestMail(owner.email, { subject: 'tried to register' });
    // A taken username is DRF's 400 naming it (its unique validator's words), and never the email too.
    for (const email of [newAccount().email, owner.email]) {
      const name = await send(miniSass, '/authentication/api/register/', { body: body({ ...newAccount(), username: owner.username, email }) });
      expect(name.status).toBe(400);
      expect(name.body).toEqual({ username: ['A user with that username already exists.'] });
    }
  });
});

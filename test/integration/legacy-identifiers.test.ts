// Accounts stored before canonical identifiers (claimed by NFKC + trim + toLowerCase, written here
// the old way, straight into DynamoDB Local) keep logging in, cannot be duplicated under the new
// comparison, and get their canonical keys from `admin migrate-identifiers` (idempotent). And the
// one place mail leaves (lib/mail/mailer.ts) sends international domains in punycode.
import { randomBytes, randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { ConflictError, InvalidCredentialsError } from '../../lib/domain/errors.ts';
import type { User } from '../../lib/domain/user.ts';
import { sesMailer } from '../../lib/mail/mailer.ts';
import { hashPassword } from '../../lib/passwords/hashing.ts';
import { authenticateUser } from '../../lib/use-cases/login.ts';
import type { Dependencies } from '../../lib/wiring/dependencies.ts';
import { freshTable, testDependencies } from '../support/deps.ts';
import { allMail } from '../support/mailbox.ts';

const PASSWORD = 'correct horse battery staple';
const suffix = () => randomBytes(4).toString('hex');

/** The claim keys as lib/domain/identity.ts computed them before issue 15. */
const oldKey = (text: string) => text.normalize('NFKC').trim().toLowerCase();

/** Writes an account exactly as the old register did: the profile and two claims under the old keys. */
async function legacyAccount(deps: Dependencies, username: string, email: string): Promise<User> {
  const now = '2026-01-01T00:00:00.000Z';
  const user: User = {
    id: randomUUID(),
    username,
    email,
    emailVerified: true,
    profile: {},
    passwordHash: await hashPassword(PASSWORD, deps.config.argon2),
    status: 'active',
    permissions: [],
    createdAt: now,
    updatedAt: now,
  };
  const put = (Item: Record<string, unknown>) => deps.db.send(new PutCommand({ TableName: deps.config.tableName, Item }));
  await put({ pk: `USERNAME#${oldKey(username)}`, sk: 'USERNAME', type: 'claim', userId: user.id });
  await put({ pk: `EMAIL#${oldKey(email)}`, sk: 'EMAIL', type: 'claim', userId: user.id });
  await put({ pk: `USER#${user.id}`, sk: 'PROFILE', type: 'user', ...user });
  return user;
}

const logIn = (deps: Dependencies, login: string) => authenticateUser({ login, password: PASSWORD }, deps);

function newUser(username: string, email: string): User {
  return {
    ...({} as User),
    id: randomUUID(),
    username,
    email,
    emailVerified: false,
    profile: {},
    passwordHash: 'x',
    status: 'active',
    permissions: [],
    createdAt: '',
    updatedAt: '',
  };
}

describe('accounts stored under the old keys', () => {
  it('log in with the spellings they always used, a grandfathered invalid username included', async () => {
    // Prepare: a name the new rules refuse (space, parentheses) and whose key changed (ß), and an international domain.
    const deps = testDependencies();
    const s = suffix();
    const user = await legacyAccount(deps, `Straße (old) ${s}`, `jane.${s}@Bücher.example`);
    // Act and assess.
    expect((await logIn(deps, `Straße (old) ${s}`)).id).toBe(user.id);
    expect((await logIn(deps, `STRAßE (OLD) ${s}`)).id).toBe(user.id);
    expect((await logIn(deps, `jane.${s}@bücher.example`)).id).toBe(user.id);
    expect((await logIn(deps, `JANE.${s}@BÜCHER.EXAMPLE`)).id).toBe(user.id);
    await expect(logIn(deps, `someone-else-${s}`)).rejects.toBeInstanceOf(InvalidCredentialsError);
  });

  it('cannot be duplicated by registering the old form in another case, even before the migration', async () => {
    const deps = testDependencies();
    const s = suffix();
    await legacyAccount(deps, `Straße_${s}`, `jane.${s}@Bücher.example`);
    const attempt = deps.users.create(newUser(`STRAẞE_${s}`, `other.${s}@example.com`));
    await expect(attempt).rejects.toBeInstanceOf(ConflictError);
    await expect(attempt).rejects.toMatchObject({ errors: [{ field: 'username' }] });
    const sameAddress = deps.users.create(newUser(`other_${s}`, `JANE.${s}@BÜCHER.example`));
    await expect(sameAddress).rejects.toMatchObject({ errors: [{ field: 'email' }] });
  });

  it('after the migration: found by every case-folded spelling and punycode, not duplicable, and a second run changes nothing', async () => {
    // Prepare: a table of its own, so the migration sees only these accounts.
    const deps = testDependencies(undefined, { TABLE_NAME: await freshTable() });
    const s = suffix();
    const user = await legacyAccount(deps, `Straße_${s}`, `jane.${s}@Bücher.example`);
    const greek = await legacyAccount(deps, `Νίκος_${s}`, `nikos.${s}@example.gr`);
    // The canonical spellings are not found before the migration (nor were they before issue 15).
    await expect(logIn(deps, `STRASSE_${s}`)).rejects.toBeInstanceOf(InvalidCredentialsError);

    // Act.
    const first = await deps.users.migrateIdentifierClaims();
    const second = await deps.users.migrateIdentifierClaims();

    // Assess.
    expect(first).toEqual({ users: 2, written: 3, present: 1, conflicts: [] });
    expect(second).toEqual({ users: 2, written: 0, present: 4, conflicts: [] });
    expect((await logIn(deps, `STRASSE_${s}`)).id).toBe(user.id);
    expect((await logIn(deps, `strasse_${s}`)).id).toBe(user.id);
    expect((await logIn(deps, `Straße_${s}`)).id).toBe(user.id);
    expect((await logIn(deps, `jane.${s}@xn--bcher-kva.example`)).id).toBe(user.id);
    expect((await logIn(deps, `ΝΊΚΟΣ_${s}`)).id).toBe(greek.id);
    expect((await logIn(deps, `νίκοσ_${s}`)).id).toBe(greek.id);
    await expect(deps.users.create(newUser(`strasse_${s}`, `new.${s}@example.com`))).rejects.toMatchObject({ errors: [{ field: 'username' }] });
    await expect(deps.users.create(newUser(`new_${s}`, `jane.${s}@xn--bcher-kva.example`))).rejects.toMatchObject({ errors: [{ field: 'email' }] });
  });

  it('two old accounts that are one name under the new comparison both keep logging in; the migration reports them', async () => {
    const deps = testDependencies(undefined, { TABLE_NAME: await freshTable() });
    const s = suffix();
    const sharp = await legacyAccount(deps, `Maß_${s}`, `sharp.${s}@example.com`);
    const plain = await legacyAccount(deps, `MASS_${s}`, `plain.${s}@example.com`);

    const report = await deps.users.migrateIdentifierClaims();

    expect(report.conflicts).toEqual([{ userId: sharp.id, field: 'username', value: `Maß_${s}`, heldBy: plain.id }]);
    expect((await logIn(deps, `maß_${s}`)).id).toBe(sharp.id);
    expect((await logIn(deps, `mass_${s}`)).id).toBe(plain.id);
  });
});

describe('mail to an identifier', () => {
  it('goes to SES with an international domain in punycode, and not at all to an address that breaks the rules', async () => {
    // Prepare: the stack's own SES (aws-ses-v2-local).
    const mailer = sesMailer({ region: 'us-east-1', sesEndpoint: inject('sesEndpoint'), sesFrom: 'no-reply@example.com' });
    const s = suffix();
    const since = Math.floor(Date.now() / 1000);
    const message = { subject: `identifiers ${s}`, text: 'hello', html: '<p>hello</p>' };
    // Act.
    await mailer.send({ ...message, to: `Jane.${s}@Bücher.example` });
    await mailer.send({ ...message, to: `ceo.${s}@corp.example<attacker.${s}@evil.example>` });
    // Assess.
    const sent = (await allMail(since)).filter((mail) => mail.subject === message.subject);
    expect(sent.map((mail) => mail.destination.to)).toEqual([[`Jane.${s}@xn--bcher-kva.example`]]);
  });
});

// Registration as a client hears it, by REGISTRATION_DISCLOSURE. `conflict`: the account, or a 409
// naming each taken field. `email`: a taken email address answers exactly as a new registration
// does (nothing about the account, same work, same time), and its owner is told by mail instead.
import { noSoonerThan } from '../abuse/even-timing.ts';
import { ConflictError } from '../domain/errors.ts';
import type { User } from '../domain/user.ts';
import { registrationAttemptMail } from '../mail/templates.ts';
import { log } from '../support/log.ts';
import { sendVerificationMail } from './email-verification.ts';
import { newAccount, type RegisterInput, register } from './register.ts';

/**
 * `disclosed`: the account was created and may be shown (conflict mode). Otherwise nothing may be
 * shown: in email mode the same outcome stands for "created" and for "the address was taken".
 */
export type RegistrationOutcome = { disclosed: true; user: User } | { disclosed: false };

/** What both cases answer in email mode (each dialect in its own envelope). */
export const REGISTRATION_RECEIVED = 'Registration received: follow the link we have mailed to this address to confirm it, then log in.';

type Deps = Parameters<typeof register>[1] & Parameters<typeof sendVerificationMail>[1];

/**
 * Registers `input` (it has passed validateRegistration) and mails: the verification link to a new
 * account, or, in email mode, a warning to the owner of a taken address.
 */
export async function registerAccount(input: RegisterInput, deps: Deps, extras: Pick<User, 'additionalFields'> = {}): Promise<RegistrationOutcome> {
  if (deps.config.registrationDisclosure === 'conflict') {
    const user = await register(input, deps, extras);
    // A mail failure is logged and never fails the registration; the user can ask for another.
    await sendVerificationMail(user, deps);
    return { disclosed: true, user };
  }
  // Hashing costs the same in both cases; what follows differs (a new account and its link, or a
  // reservation and a warning), so it is held to MAIL_REQUEST_MIN_MS (lib/abuse/even-timing.ts).
  const user = await newAccount(input, deps, extras);
  await noSoonerThan(deps.config.mailRequestMinMs, () => createOrWarn(user, deps));
  return { disclosed: false };
}

async function createOrWarn(user: User, deps: Deps): Promise<void> {
  try {
    await deps.users.create(user);
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    const usernameTaken = error.errors?.filter((e) => e.field === 'username') ?? [];
    // Usernames are public identifiers: their conflict stays visible, and never says the email is taken too.
    if (usernameTaken.length) throw new ConflictError(usernameTaken, usernameTaken.map((e) => e.message).join(' '));
    // The email is taken. The username stays taken as a real registration's would, or registering
    // it again would tell the two cases apart; losing it to a concurrent registration is a 409 as above.
    if (!(await deps.users.reserveUsername(user.username, user.id))) {
      throw new ConflictError([{ field: 'username', message: 'This username is already taken.' }], 'This username is already taken.');
    }
    await warnOwner(user.email, deps);
    return;
  }
  await sendVerificationMail(user, deps);
}

/** Tells the owner of `email` that someone tried to register it; a failure is logged, never answered. */
async function warnOwner(email: string, deps: Deps): Promise<void> {
  try {
    const owner = await deps.users.findByEmail(email);
    if (!owner) return;
    await deps.mailer.send(registrationAttemptMail(deps.config, owner, `${deps.config.publicUrl}/password/forgot`));
  } catch (error) {
    log.error('registration-attempt mail could not be sent', { error });
  }
}

// Errors of the admin CLI: each carries a message meant for the operator, who gets it on stderr with
// exit code 1. A UsageError also prints the usage.

export class AdminError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad command line: unknown command or option, missing or extra arguments. */
export class UsageError extends AdminError {}

export class UnknownUserError extends AdminError {
  constructor(reference: string) {
    super(`No user with the username, email address, id or external id "${reference}".`);
  }
}

// A mail as the use cases write it, and the port they send it through (lib/mail/mailer.ts on SES).

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  /** Throws DependencyUnavailableError when the mail service cannot be reached after retries. */
  send(message: MailMessage): Promise<void>;
}

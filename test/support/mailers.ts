// Mailers for tests that need SES to fail: they keep what they were asked to send, then throw.
import { DependencyUnavailableError } from '../../lib/domain/errors.ts';
import type { Mailer, MailMessage } from '../../lib/domain/mail.ts';

/** A mailer that records each message, then fails as an unreachable SES would. */
export function failingMailer(): Mailer & { attempted: MailMessage[] } {
  const attempted: MailMessage[] = [];
  return {
    attempted,
    async send(message) {
      attempted.push(message);
      throw new DependencyUnavailableError(new Error('SES is unavailable'));
    },
  };
}

// Mailers for tests that need SES to fail: they keep what they were asked to send, then throw.
import type { MailMessage, Mailer } from '../../lib/mail/mailer.ts';

/** A mailer that records each message, then fails as an unreachable SES would. */
export function failingMailer(): Mailer & { attempted: MailMessage[] } {
  const attempted: MailMessage[] = [];
  return {
    attempted,
    async send(message) {
      attempted.push(message);
      throw Object.assign(new Error('SES is unavailable'), { name: 'ServiceUnavailable' });
    },
  };
}

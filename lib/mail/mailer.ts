// The one place that talks to SES. Locally it points at aws-ses-v2-local (SES_ENDPOINT) with dummy
// credentials; in AWS the Lambda role may send only from the configured identity.
// The SES client is loaded at the first send, not when this module is imported: most invocations
// of the functions that can send mail send none, and loading the SDK client costs cold-start time.
import { convertTransientFailures } from '../aws/dependency-failures.ts';
import { mailboxForSending } from '../domain/identity.ts';
import type { Mailer } from '../domain/mail.ts';
import { log } from '../support/log.ts';

export interface SesSettings {
  region: string;
  sesEndpoint?: string | undefined;
  sesFrom: string;
}

type SesModule = typeof import('@aws-sdk/client-ses');

export function sesMailer(config: SesSettings): Mailer {
  let client: Promise<{ ses: InstanceType<SesModule['SESClient']>; SendEmailCommand: SesModule['SendEmailCommand'] }> | undefined;

  function sesClient() {
    client ??= import('@aws-sdk/client-ses').then(({ SESClient, SendEmailCommand }) => ({
      // After the SDK's retries, unreachable or throttled becomes DependencyUnavailableError; a
      // refused message (MessageRejected, an unverified sender) stays what it is, a configuration fault.
      ses: convertTransientFailures(
        new SESClient({
          region: config.region,
          maxAttempts: 3,
          // Each attempt bounded, as for DynamoDB (lib/aws/dynamodb-settings.ts): an SES that does not
          // answer fails the send within seconds, and the request is answered as usual, not at the Lambda timeout.
          requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000, throwOnRequestTimeout: true },
          ...(config.sesEndpoint ? { endpoint: config.sesEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
        }),
      ),
      SendEmailCommand,
    }));
    // A failed load is not remembered: the next send tries again.
    client.catch(() => (client = undefined));
    return client;
  }

  return {
    async send(message) {
      // SES takes international domains only in punycode (and local parts only in ASCII). An
      // address that breaks the rules of lib/domain/identity.ts can only be an account's from before
      // them; it is not mailed, so nothing like "a@b.example<c@d.example>" ever reaches SES.
      const to = mailboxForSending(message.to);
      if (!to) {
        log.warn('Mail not sent: the stored address is not a valid mailbox', { subject: message.subject });
        return;
      }
      const { ses, SendEmailCommand } = await sesClient();
      await ses.send(
        new SendEmailCommand({
          Source: config.sesFrom,
          Destination: { ToAddresses: [to] },
          Message: {
            Subject: { Data: message.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: message.text, Charset: 'UTF-8' }, Html: { Data: message.html, Charset: 'UTF-8' } },
          },
        }),
      );
    },
  };
}

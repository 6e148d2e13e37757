// The one place that talks to SES. Locally it points at aws-ses-v2-local (SES_ENDPOINT) with dummy
// credentials; in AWS the Lambda role may send only from the configured identity.
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import type { Config } from '../config/all.ts';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

export function sesMailer(config: Pick<Config, 'region' | 'sesEndpoint' | 'sesFrom'>): Mailer {
  const client = new SESClient({
    region: config.region,
    maxAttempts: 3,
    // Each attempt bounded, as for DynamoDB (lib/store/client.ts): an SES that does not answer
    // fails the send within seconds, and the request is answered as usual, not at the Lambda timeout.
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000, throwOnRequestTimeout: true },
    ...(config.sesEndpoint ? { endpoint: config.sesEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  return {
    async send(message) {
      await client.send(
        new SendEmailCommand({
          Source: config.sesFrom,
          Destination: { ToAddresses: [message.to] },
          Message: {
            Subject: { Data: message.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: message.text, Charset: 'UTF-8' }, Html: { Data: message.html, Charset: 'UTF-8' } },
          },
        }),
      );
    },
  };
}

// Configuration of mail: the SES endpoint and sender, and the least time a mail-sending request
// takes, so the mail sent for a real account does not make its answer slower than an unknown one's.
import { text, wholeNumber } from '../kinds.ts';
import { defineSection, type Env, variable } from '../section.ts';

export const mailSection = defineSection({
  name: 'mail',
  variables: {
    sesEndpoint: variable('SES_ENDPOINT', {
      kind: text('a URL'),
      fallback: undefined as string | undefined,
      defaultText: 'empty (AWS)',
      description: 'SES endpoint override; `npm start` points it at aws-ses-v2-local',
    }),
    sesFrom: variable('SES_FROM', {
      kind: text('an email address'),
      fallback: 'no-reply@example.com',
      defaultText: '`no-reply@example.com` (stage parameter `sesFrom`)',
      description: 'sender address of mail; the functions may send only from it, through the identity in the stage parameter `sesIdentity`',
    }),
    mailRequestMinMs: variable('MAIL_REQUEST_MIN_MS', {
      kind: wholeNumber(0, 10_000),
      fallback: 500,
      description: 'forgot-password and verification resend answer no sooner than this, ms, so real and unknown addresses take the same time',
    }),
  },
  shape: (values) => values,
});

export type MailConfig = ReturnType<typeof mailSection.read>;
export const MAIL_VARIABLES = mailSection.variableNames;

/** The SES endpoint, sender and even-timing floor, read once per environment. */
export const mailConfig = (env: Env = process.env): MailConfig => mailSection.read(env);

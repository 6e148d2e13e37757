// Configuration of mail: the SES endpoint and sender, the least time a mail-sending request takes
// (so the mail sent for a real account does not make its answer slower than an unknown one's), and
// how many reset and verification mails one address may receive per hour.
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
    // 3: a person who lost the first mail (spam folder, a typo, a slow server) asks again once or
    // twice; more than that within the hour is a flood. No 0 to turn it off: that reopens the flood.
    mailPerAddressPerHour: variable('MAIL_PER_ADDRESS_PER_HOUR', {
      kind: wholeNumber(1, 100),
      fallback: 3,
      description:
        'password-reset mails one address may receive per clock hour (UTC), and verification mails likewise (counted apart); beyond it requests get the usual answer and no mail',
    }),
  },
  shape: (values) => values,
});

export type MailConfig = ReturnType<typeof mailSection.read>;
export const MAIL_VARIABLES = mailSection.variableNames;

/** The SES endpoint, sender and even-timing floor, read once per environment. */
export const mailConfig = (env: Env = process.env): MailConfig => mailSection.read(env);

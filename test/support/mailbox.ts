// The mails the test stack has sent, read back from aws-ses-v2-local (GET {sesEndpoint}/store keeps
// every mail until the stack stops). Every test uses its own addresses, so it sees only its mails.
import { inject } from 'vitest';

/** One mail as aws-ses-v2-local stores it (the fields the tests use). */
export interface Mail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc?: string[]; bcc?: string[] };
  subject: string;
  body: { text?: string; html?: string };
  /** Epoch seconds (real time, not a test clock) when the mail server received it. */
  at: number;
}

export interface MailQuery {
  /** Only mails received at or after this time, in epoch seconds (real time). */
  since?: number;
  /** Only mails whose subject contains this text or matches this pattern. */
  subject?: string | RegExp;
  /** Only mails stored after this one (finer than `since`, which counts whole seconds). */
  after?: Mail;
}

export interface WaitOptions extends MailQuery {
  /** How long to poll before giving up; mail is sent before the HTTP answer, so this is short. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 2_000;
const POLL_INTERVAL_MS = 50;

/** The bare address of "Name <a@b>" or "a@b", lower-cased for comparison. */
const bareAddress = (address: string): string => (address.match(/<([^>]+)>/)?.[1] ?? address).trim().toLowerCase();

/** Every mail the stack has sent, oldest first (optionally only those since an epoch second). */
export async function allMail(since?: number): Promise<Mail[]> {
  const url = new URL('/store', inject('sesEndpoint'));
  if (since !== undefined) url.searchParams.set('since', String(Math.floor(since)));
  const res = await fetch(url);
  if (!res.ok) throw new Error(`aws-ses-v2-local answered ${res.status} for ${url}: ${await res.text()}`);
  const { emails } = (await res.json()) as { emails: Mail[] };
  return emails;
}

function matches(mail: Mail, address: string, subject: MailQuery['subject']): boolean {
  if (!mail.destination.to.some((to) => bareAddress(to) === bareAddress(address))) return false;
  if (subject === undefined) return true;
  return typeof subject === 'string' ? mail.subject.includes(subject) : subject.test(mail.subject);
}

/** The mails to `address` that match `query`, oldest first; no waiting. */
export async function mailsTo(address: string, query: MailQuery = {}): Promise<Mail[]> {
  let emails = await allMail(query.since);
  if (query.after) {
    const index = emails.findIndex((mail) => mail.messageId === query.after!.messageId);
    // A `since` later than the reference mail leaves it out: then every listed mail is after it.
    if (index >= 0) emails = emails.slice(index + 1);
  }
  return emails.filter((mail) => matches(mail, address, query.subject));
}

/**
 * The newest mail to `address` that matches `options`, polling for up to `timeoutMs` (2 s); throws
 * naming the address and the subjects it did get when nothing matches in time.
 */
export async function newestMail(address: string, options: WaitOptions = {}): Promise<Mail> {
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  for (;;) {
    const found = await mailsTo(address, options);
    if (found.length) return found[found.length - 1]!;
    if (Date.now() >= deadline) {
      const received = (await mailsTo(address)).map((mail) => JSON.stringify(mail.subject));
      const wanted = options.subject === undefined ? 'any subject' : `subject ${String(options.subject)}`;
      throw new Error(
        `No mail to ${address} with ${wanted}${options.since !== undefined ? ` since ${options.since}` : ''}` +
          `${options.after ? ` after ${options.after.messageId}` : ''} within ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms; ` +
          `mails to that address: ${received.length ? received.join(', ') : 'none'}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}

/** The first http(s) URL in a text, e.g. a message a fake mailer captured. */
export function firstLink(text: string): string {
  const link = text.match(/https?:\/\/[^\s<>"')]+/)?.[0];
  if (!link) throw new Error(`No link in ${JSON.stringify(text.slice(0, 200))}`);
  return link;
}

/** The first http(s) URL in the mail's plain-text body. */
export function linkIn(mail: Mail): string {
  if (!mail.body.text) throw new Error(`The mail ${JSON.stringify(mail.subject)} to ${mail.destination.to.join(', ')} has no text body`);
  return firstLink(mail.body.text);
}

/** The `token` query parameter of a link from a mail. */
export function tokenIn(link: string): string {
  const token = new URL(link).searchParams.get('token');
  if (!token) throw new Error(`No token in the link ${link}`);
  return token;
}

/** The link of the newest matching mail to `address` (see newestMail). */
export async function newestLink(address: string, options: WaitOptions = {}): Promise<string> {
  return linkIn(await newestMail(address, options));
}

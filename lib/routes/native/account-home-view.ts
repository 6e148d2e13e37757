// The signed-in account page: reads what each section shows (sessions, factors, API tokens, the
// newest security events or the page `?events=<cursor>` names) and draws the sections in order. A GET after an action's 303 carries `done=<key>`: its fixed text is said
// in the section the action belongs to (an unknown key is ignored).

import { ValidationError } from '../../domain/errors.ts';
import type { User } from '../../domain/user.ts';
import { queryParameter } from '../../http/request.ts';
import { securityEventView } from '../../http/security-event-view.ts';
import type { HttpEvent, HttpResult } from '../../http/types.ts';
import { emailSection, passwordSection } from '../../pages/account-credentials.ts';
import { deleteSection } from '../../pages/account-deletion.ts';
import { eventsSection } from '../../pages/account-events.ts';
import { factorsSection } from '../../pages/account-factors.ts';
import { ACCOUNT_PATH, accountPage } from '../../pages/account-home.ts';
import { profileSection } from '../../pages/account-profile.ts';
import { sessionsSection } from '../../pages/account-sessions.ts';
import { tokensSection } from '../../pages/account-tokens.ts';
import { listSessions } from '../../use-cases/account-sessions.ts';
import { listApiTokens } from '../../use-cases/api-tokens.ts';
import type { SignedIn } from '../../use-cases/browser-sessions.ts';
import { listFactors } from '../../use-cases/mfa-totp.ts';
import { listSecurityEvents } from '../../use-cases/security-events.ts';
import { type AccountContext, DONE, type HomeOptions } from './account-context.ts';
import { pagePrincipal } from './account-principal.ts';

/** The message a `done` key in the URL stands for, if it is one of ours. */
export function doneMessage(event: HttpEvent): HomeOptions['message'] {
  const key = queryParameter(event, 'done');
  if (!key || !Object.hasOwn(DONE, key)) return undefined;
  const done = DONE[key as keyof typeof DONE];
  return { kind: 'ok', text: done.text, section: done.section };
}

const EVENTS_PAGE = 25;
const eventsHref = (cursor?: string) => `${ACCOUNT_PATH}${cursor ? `?events=${encodeURIComponent(cursor)}` : ''}#events`;

/** A page of the user's security events; a cursor that is not (or no longer) one gives the newest, and says so. */
async function eventsPage(user: User, cursor: string | undefined, deps: AccountContext['deps']) {
  try {
    return { page: await listSecurityEvents(user, { limit: EVENTS_PAGE, ...(cursor ? { cursor } : {}) }, deps), cursor };
  } catch (error) {
    if (!(error instanceof ValidationError) || cursor === undefined) throw error;
    return { page: await listSecurityEvents(user, { limit: EVENTS_PAGE }, deps), cursor: undefined, refused: true };
  }
}

export async function renderHome(context: AccountContext, event: HttpEvent, signedIn: SignedIn, options: HomeOptions): Promise<HttpResult> {
  const { deps } = context;
  const { user } = signedIn;
  const csrf = context.actionCsrf(event, signedIn);
  const [factors, tokens, sessions, events] = await Promise.all([
    listFactors(user, deps),
    listApiTokens(pagePrincipal(signedIn), deps),
    listSessions(user, signedIn.session.sessionId, deps),
    eventsPage(user, options.eventsCursor, deps),
  ]);
  const eventsMessage = events.refused
    ? { kind: 'bad' as const, text: 'Those events are no longer there: here are the newest.', section: 'events' }
    : undefined;
  const message = options.message ?? eventsMessage;
  const result = accountPage(deps.config, {
    username: user.username,
    csrf: csrf.token,
    sections: [
      profileSection(user),
      passwordSection(csrf.token, user.username),
      emailSection(csrf.token, { email: user.email, ...(options.typed?.newEmail !== undefined ? { newEmail: options.typed.newEmail } : {}) }),
      sessionsSection(csrf.token, sessions),
      factorsSection(csrf.token, factors),
      tokensSection({
        csrf: csrf.token,
        tokens,
        maxTtlSeconds: deps.config.apiTokens.maxTtlSeconds,
        defaultTtlSeconds: deps.config.apiTokens.defaultTtlSeconds,
        ...(options.typed?.tokenName !== undefined ? { name: options.typed.tokenName } : {}),
      }),
      eventsSection({
        events: events.page.events.map(securityEventView),
        ...(events.page.nextCursor ? { olderHref: eventsHref(events.page.nextCursor) } : {}),
        ...(events.cursor ? { newestHref: eventsHref() } : {}),
      }),
      deleteSection(csrf.token),
    ],
    ...(message ? { message } : {}),
    ...(options.status ? { status: options.status } : {}),
  });
  return context.withCookies(result, csrf.cookies);
}

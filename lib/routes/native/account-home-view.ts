// The signed-in account page: reads what each section shows (factors, API tokens, ...) and draws
// the sections in order. A GET after an action's 303 carries `done=<key>`: its fixed text is said
// in the section the action belongs to (an unknown key is ignored).
import { queryParameter } from '../../http/request.ts';
import type { HttpEvent, HttpResult } from '../../http/types.ts';
import { factorsSection } from '../../pages/account-factors.ts';
import { accountPage } from '../../pages/account-home.ts';
import { profileSection } from '../../pages/account-profile.ts';
import { tokensSection } from '../../pages/account-tokens.ts';
import { listApiTokens } from '../../use-cases/api-tokens.ts';
import type { SignedIn } from '../../use-cases/browser-sessions.ts';
import { listFactors } from '../../use-cases/mfa-totp.ts';
import { type AccountContext, DONE, type HomeOptions } from './account-context.ts';
import { pagePrincipal } from './account-principal.ts';

/** The message a `done` key in the URL stands for, if it is one of ours. */
export function doneMessage(event: HttpEvent): HomeOptions['message'] {
  const key = queryParameter(event, 'done');
  if (!key || !Object.hasOwn(DONE, key)) return undefined;
  const done = DONE[key as keyof typeof DONE];
  return { kind: 'ok', text: done.text, section: done.section };
}

export async function renderHome(context: AccountContext, event: HttpEvent, signedIn: SignedIn, options: HomeOptions): Promise<HttpResult> {
  const { deps } = context;
  const { user } = signedIn;
  const csrf = context.actionCsrf(event, signedIn);
  const [factors, tokens] = await Promise.all([listFactors(user, deps), listApiTokens(pagePrincipal(signedIn), deps)]);
  const result = accountPage(deps.config, {
    username: user.username,
    csrf: csrf.token,
    sections: [
      profileSection(user),
      factorsSection(csrf.token, factors),
      tokensSection({
        csrf: csrf.token,
        tokens,
        maxTtlSeconds: deps.config.apiTokens.maxTtlSeconds,
        defaultTtlSeconds: deps.config.apiTokens.defaultTtlSeconds,
        ...(options.typed?.tokenName !== undefined ? { name: options.typed.tokenName } : {}),
      }),
    ],
    ...(options.message ? { message: options.message } : {}),
    ...(options.status ? { status: options.status } : {}),
  });
  return context.withCookies(result, csrf.cookies);
}

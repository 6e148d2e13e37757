// The account page's API-token actions: create one (its secret shown once, on a page of its own)
// and delete one, through the same use cases as POST /tokens and DELETE /tokens/{id}.
import { ConflictError, NotFoundError } from '../../domain/errors.ts';
import type { HttpEvent, HttpResult } from '../../http/types.ts';
import { TOKEN_NAME_MAX, tokenCreatedPage } from '../../pages/account-tokens.ts';
import { createApiToken, deleteApiToken } from '../../use-cases/api-tokens.ts';
import type { SignedIn } from '../../use-cases/browser-sessions.ts';
import type { AccountContext } from './account-context.ts';
import type { AccountAction } from './account-page.ts';
import { pagePrincipal } from './account-principal.ts';

type Action = (event: HttpEvent, signedIn: SignedIn, form: AccountAction) => Promise<HttpResult>;

export function tokenActions(context: AccountContext) {
  const { deps } = context;
  const section = 'api-tokens';

  const token_create: Action = async (event, signedIn, form) => {
    const name = (form.name ?? '').trim();
    const typed = { tokenName: form.name ?? '' };
    if (!name) return context.refused(event, signedIn, section, 'Give the token a name.', typed);
    if ([...name].length > TOKEN_NAME_MAX) return context.refused(event, signedIn, section, `Use at most ${TOKEN_NAME_MAX} characters for the name.`, typed);
    const { maxTtlSeconds } = deps.config.apiTokens;
    if (form.ttl !== undefined && form.ttl > maxTtlSeconds) {
      return context.refused(event, signedIn, section, `Choose a lifetime of at most ${Math.floor(maxTtlSeconds / 86_400)} days.`, typed);
    }
    try {
      const created = await createApiToken(pagePrincipal(signedIn), { name, ttl: form.ttl }, deps);
      return tokenCreatedPage(deps.config, {
        name: created.record.name,
        token: created.token,
        expiresAt: created.record.expiresAt,
        backHref: context.backHref('token_created'),
      });
    } catch (error) {
      if (error instanceof ConflictError) return context.refused(event, signedIn, section, error.message, typed);
      throw error;
    }
  };

  const token_delete: Action = async (event, signedIn, form) => {
    try {
      await deleteApiToken(pagePrincipal(signedIn), form.token_id ?? '', deps);
    } catch (error) {
      // Deleted meanwhile (another tab) or never this user's: the same words either way.
      if (error instanceof NotFoundError) return context.refused(event, signedIn, section, 'That API token no longer exists.');
      throw error;
    }
    return context.back('token_deleted');
  };

  return { token_create, token_delete };
}

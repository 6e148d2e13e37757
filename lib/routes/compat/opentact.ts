// Opentact (../shared/seeds/002): `GET /rest/auth` with HTTP Basic (or X-Auth-Token) and named API
// tokens under /rest/token, every answer in the {success, payload} envelope. Thin adapters over
// the native login and API-token use cases.
import { apiTokenSchemas } from '../native/api-tokens.ts';
import { ipBudget } from '../../abuse/ip-budget.ts';
import type { Dependencies } from '../../app.ts';
import { toIsoUtc } from '../../support/clock.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { noFields } from '../fields.ts';
import { basicCredentials, bearerToken } from '../../http/request.ts';
import type { RouteSpec } from '../../http/router.ts';
import { validate } from '../../domain/validation.ts';
import type { ApiTokenRecord } from '../../store/api-tokens.ts';
import type { User } from '../../store/users.ts';
import { issueAccessToken } from '../../tokens/access-tokens.ts';
import { parseApiToken } from '../../tokens/api-token-format.ts';
import {
  createApiToken,
  deleteAllApiTokens,
  deleteApiToken,
  getApiToken,
  listApiTokens,
  updateApiToken,
} from '../../use-cases/api-tokens.ts';
import { currentUser } from '../../use-cases/current-user.ts';
import { authenticateUser } from '../../use-cases/login.ts';
import { opentactSuccess } from './envelopes.ts';

/** The user as Opentact's /rest/auth shows it; fields we do not keep are null, as for its own users. */
function opentactUser(user: User) {
  return {
    created_on: user.createdAt,
    modified_on: user.updatedAt,
    uuid: user.id,
    email: user.email,
    phone_number: null,
    first_name: user.profile.first_name ?? '',
    last_name: user.profile.last_name ?? '',
    dob: null,
    gmail_user_id: null,
    facebook_user_id: null,
    apple_user_id: null,
    wechat_user_id: null,
    role: 'User',
    gender: null,
    deleted_on: null,
  };
}

function opentactToken(record: ApiTokenRecord, secret?: string) {
  return {
    name: record.name,
    ttl: record.ttl,
    ...(secret ? { token: secret } : {}),
    expired_on: toIsoUtc(record.expiresAt * 1000),
    uuid: record.id,
    created_on: toIsoUtc(record.createdAt),
    modified_on: toIsoUtc(record.modifiedAt),
  };
}

export function opentactRoutes(deps: Dependencies): RouteSpec[] {
  const schemas = apiTokenSchemas(deps.config.apiTokens.maxTtlSeconds);
  const caller = (event: Parameters<RouteSpec['handle']>[0]) => currentUser(bearerToken(event), deps);

  const rename: RouteSpec['handle'] = async (event, params) => {
    const record = await updateApiToken(await caller(event), params.uuid ?? '', validate(schemas.update, event.parsedBody ?? {}), deps);
    return opentactSuccess(200, opentactToken(record));
  };

  return [
    {
      method: 'GET',
      path: '/rest/auth',
      guard: ipBudget('login', deps),
      auth: 'basic',
      summary: 'Authenticate with Authorization: Basic base64(email:password), or check an X-Auth-Token: the user and a JWT.',
      async handle(event) {
        const basic = basicCredentials(event);
        if (basic) {
          const user = await authenticateUser(basic, deps);
          const access = await issueAccessToken(user, { signer: deps.signer, clock: deps.clock, settings: deps.accessTokens });
          return opentactSuccess(200, { ...opentactUser(user), token: access.token });
        }
        const token = bearerToken(event);
        const { user } = await currentUser(token, deps);
        return opentactSuccess(200, { ...opentactUser(user), token });
      },
    },
    {
      method: 'POST',
      path: '/rest/token',
      request: schemas.create,
      auth: 'bearer',
      summary: 'Create a named API token {name, ttl (seconds, at least 60)}; the secret is shown only here.',
      async handle(event) {
        const { record, token } = await createApiToken(await caller(event), validate(schemas.create, event.parsedBody ?? {}), deps);
        return opentactSuccess(200, opentactToken(record, token));
      },
    },
    {
      method: 'GET',
      path: '/rest/token/list',
      auth: 'bearer',
      summary: "The caller's API tokens, newest first, without secrets.",
      async handle(event) {
        return opentactSuccess(200, (await listApiTokens(await caller(event), deps)).map((record) => opentactToken(record)));
      },
    },
    { method: 'PATCH', path: '/rest/token/{uuid}', summary: 'Rename an API token or give it a new ttl (counted from now).', handle: rename, request: schemas.update, auth: 'bearer' },
    { method: 'PATCH', path: '/token/{uuid}', summary: 'Rename an API token or give it a new ttl (counted from now).', handle: rename, request: schemas.update, auth: 'bearer' },
    {
      method: 'DELETE',
      path: '/rest/token/all',
      auth: 'bearer',
      summary: "Delete all the caller's API tokens.",
      async handle(event) {
        validate(noFields, event.parsedBody ?? {});
        await deleteAllApiTokens(await caller(event), deps);
        return opentactSuccess(200, {});
      },
    },
    {
      method: 'DELETE',
      path: '/rest/token/{token}',
      auth: 'bearer',
      summary: 'Delete one API token, named by its value (as Opentact documents) or by its uuid.',
      async handle(event, params) {
        validate(noFields, event.parsedBody ?? {});
        const who = await caller(event);
        const value = params.token ?? '';
        const parts = parseApiToken(value);
        if (parts && parts.userId !== who.user.id) throw new NotFoundError('No such API token.');
        const id = parts?.tokenId ?? value;
        const record = await getApiToken(who, id, deps);
        await deleteApiToken(who, id, deps);
        return opentactSuccess(200, {
          created_on: toIsoUtc(record.createdAt),
          modified_on: toIsoUtc(record.modifiedAt),
          ...(parts ? { token: value } : {}),
          name: record.name,
          expired_on: toIsoUtc(record.expiresAt * 1000),
        });
      },
    },
  ];
}

// Opentact's handlers (declared in ./opentact.ts): thin adapters over the native login and
// API-token use cases, every answer in the {success, payload} envelope.

import type { ApiTokenRecord } from '../../domain/api-token.ts';
import { NotFoundError } from '../../domain/errors.ts';
import type { User } from '../../domain/user.ts';
import { shownDeviceProof, withDeviceProof } from '../../http/device-proof.ts';
import { type Implementation, implement, type OperationFunction } from '../../http/endpoint.ts';
import { basicCredentials, bearerToken } from '../../http/request.ts';
import type { HttpEvent } from '../../http/types.ts';
import { toIsoUtc } from '../../support/clock.ts';
import { parseApiToken } from '../../tokens/api-token-format.ts';
import { createApiToken, deleteAllApiTokens, deleteApiToken, getApiToken, listApiTokens, updateApiToken } from '../../use-cases/api-tokens.ts';
import { currentUser } from '../../use-cases/current-user.ts';
import { authenticate, type authenticateUser } from '../../use-cases/login.ts';
import { sessionlessAccessToken } from '../../use-cases/sessions.ts';
import { opentactSuccess } from './envelopes.ts';
import {
  opentactAuth,
  opentactCreateToken,
  opentactDeleteAllTokens,
  opentactDeleteToken,
  opentactListTokens,
  opentactRenameToken,
  opentactRenameTokenShort,
} from './opentact.ts';

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

/** What Opentact's handlers need: the dependencies of the login, API-token and current-user use cases. */
type Deps = Parameters<typeof authenticateUser>[1] &
  Parameters<typeof createApiToken>[2] &
  Parameters<typeof currentUser>[1] & { signer: Parameters<typeof sessionlessAccessToken>[1]['signer'] };

export function opentactImplementations(deps: Deps): Implementation[] {
  const caller = (event: HttpEvent) => currentUser(bearerToken(event), deps);

  const rename: OperationFunction<{ name?: string | undefined; ttl?: number | undefined } | undefined> = async ({ event, body, params }) => {
    const record = await updateApiToken(await caller(event), params.uuid ?? '', body!, deps);
    return opentactSuccess(200, opentactToken(record));
  };

  return [
    implement(opentactAuth, async ({ event }) => {
      const basic = basicCredentials(event);
      if (basic) {
        const {
          user,
          deviceProof,
          result: access,
        } = await authenticate(basic, deps, { deviceProof: shownDeviceProof(event) }, (user) => sessionlessAccessToken(user, deps));
        return withDeviceProof(
          opentactSuccess(200, { ...opentactUser(user), token: access.token }),
          event,
          deviceProof,
          deps.config.loginThrottle.deviceProofTtlSeconds,
        );
      }
      const token = bearerToken(event);
      const { user } = await currentUser(token, deps);
      return opentactSuccess(200, { ...opentactUser(user), token });
    }),
    implement(opentactCreateToken, async ({ event, body }) => {
      const { record, token } = await createApiToken(await caller(event), body!, deps);
      return opentactSuccess(200, opentactToken(record, token));
    }),
    implement(opentactListTokens, async ({ event }) =>
      opentactSuccess(
        200,
        (await listApiTokens(await caller(event), deps)).map((record) => opentactToken(record)),
      ),
    ),
    implement(opentactRenameToken, rename),
    implement(opentactRenameTokenShort, rename),
    implement(opentactDeleteAllTokens, async ({ event }) => {
      await deleteAllApiTokens(await caller(event), deps);
      return opentactSuccess(200, {});
    }),
    implement(opentactDeleteToken, async ({ event, params }) => {
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
    }),
  ];
}

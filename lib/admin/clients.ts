// `npm run admin -- clients <action>`: OAuth client administration through the registry's use
// cases (the same rules as RFC 7591 registration, plus what only an operator may grant).
import type { Dependencies } from '../use-cases/dependencies.ts';
import {
  createClient,
  deleteClient,
  getClient,
  issueRegistrationToken,
  listClients,
  rotateClientSecret,
  updateClient,
} from '../use-cases/oauth-client-registry.ts';
import { type ClientsCommand, CREATE_DEFAULTS } from './client-command-line.ts';
import * as format from './client-format.ts';

type ClientDeps = Pick<Dependencies, 'oauthClients' | 'registrationTokens' | 'clock' | 'config'>;

/** Runs one clients action and returns what to print. */
export async function runClientsCommand(command: ClientsCommand, output: { json: boolean }, deps: ClientDeps): Promise<string> {
  const clientId = command.clientId!;
  switch (command.action) {
    case 'create': {
      const { changes } = command;
      const { client, secret } = await createClient(
        {
          ...changes,
          name: changes.name!,
          tokenEndpointAuthMethod: changes.tokenEndpointAuthMethod ?? CREATE_DEFAULTS.tokenEndpointAuthMethod,
          grantTypes: changes.grantTypes ?? CREATE_DEFAULTS.grantTypes,
          redirectUris: changes.redirectUris ?? [],
        },
        'admin',
        deps,
      );
      return output.json ? format.clientJson(client, secret) : format.clientCreated(client, secret);
    }
    case 'list': {
      const clients = await listClients(deps);
      return output.json ? `[${clients.map((client) => format.clientJson(client)).join(',\n')}]` : format.clientList(clients);
    }
    case 'show': {
      const client = await getClient(clientId, deps);
      return output.json ? format.clientJson(client) : format.clientDetails(client);
    }
    case 'update': {
      const client = await updateClient(clientId, command.changes, deps);
      return output.json ? format.clientJson(client) : format.clientUpdated(client);
    }
    case 'delete':
      return format.clientDeleted(clientId, await deleteClient(clientId, deps));
    case 'rotate-secret': {
      const { client, secret } = await rotateClientSecret(clientId, deps);
      return output.json ? format.clientJson(client, secret) : format.secretRotated(client, secret!);
    }
    case 'registration-token': {
      const { token, expiresAt } = await issueRegistrationToken(command.ttlSeconds, deps);
      return format.registrationTokenIssued(token, expiresAt);
    }
  }
}

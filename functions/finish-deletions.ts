// Scheduled every hour: finishes the account deletions a crash left half-done and nobody retried
// (lib/use-cases/account-deletion.ts). Such an account is already unusable and its names are free;
// this removes what it still owns, so erasure (GDPR Art. 17) never waits for an operator. A run that
// fails is simply followed by the next one: the clean-up is idempotent.
import { log } from '../lib/support/log.ts';
import { finishStaleDeletions, STALE_DELETION_MS } from '../lib/use-cases/account-deletion.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

export const handler = async (): Promise<{ finished: number }> => {
  const finished = await finishStaleDeletions(STALE_DELETION_MS, deps);
  if (finished.length) log.warn('finished account deletions left unfinished', { userIds: finished.map((deletion) => deletion.userId) });
  return { finished: finished.length };
};

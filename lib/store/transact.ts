// TransactWriteItems with a retry for transaction conflicts. DynamoDB cancels a transaction that
// races another on the same item ("TransactionConflict") without deciding its conditions, and the
// SDK does not retry that; a short jittered retry lets the conditions give the real answer.
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Db } from './client.ts';
import { failedConditions, isTransactionConflict } from './errors.ts';

const ATTEMPTS = 4;

export async function transactWrite(db: Db, input: TransactWriteCommandInput): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await db.send(new TransactWriteCommand(input));
      return;
    } catch (error) {
      if (!isTransactionConflict(error) || attempt >= ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}

/**
 * Runs a transaction whose conditions decide whether it may happen: true when it was applied,
 * false when a condition failed (another writer won, or the thing is no longer valid).
 */
export async function transactIfConditionsHold(db: Db, items: NonNullable<TransactWriteCommandInput['TransactItems']>): Promise<boolean> {
  try {
    await transactWrite(db, { TransactItems: items });
    return true;
  } catch (error) {
    if (failedConditions(error)) return false;
    throw error;
  }
}

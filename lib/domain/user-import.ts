// The port `admin import` (lib/use-cases/user-import.ts) writes users through: one transaction per
// user that claims every unique name it carries, and the user-number counter moved past the
// imported integer ids. lib/store/user-imports.ts implements it on DynamoDB.
import type { SecurityEvent } from './security-event.ts';
import type { User } from './user.ts';

/** A unique name an imported row may clash on: the row's field that names it. */
export type ImportClashField = 'username' | 'email' | 'id';

export type ImportWrite =
  /** Written; `numberKept` false when the row's integer id was already another account's (the user has none yet). */
  | { outcome: 'imported'; numberKept: boolean }
  /** The row's account is already there (same external id; without one, same username and email): nothing written. */
  | { outcome: 'exists'; userId: string }
  /** A name of the row belongs to a different account: nothing written. */
  | { outcome: 'clash'; fields: ImportClashField[] };

export interface UserImportStore {
  /**
   * Writes the user (profile, username and email claims, the external-id claim when it has one,
   * the integer-id claim when it has a number) and `event`, all or nothing. Uniqueness is decided
   * by the transaction's conditions, so concurrent imports of one row write it once.
   */
  importUser(user: User, event: SecurityEvent): Promise<ImportWrite>;
}

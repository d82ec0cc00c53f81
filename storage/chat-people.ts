import type Database from 'better-sqlite3';
import { NotFoundError } from '../src/errors.js';
import type { ActorKey, ChatAccountKey } from '../src/ports/attestation-store.js';
import type { ChatAccount, ChatPerson } from '../src/ports/chat-identity-store.js';
import type { AuditLog } from './audit-log.js';

interface PersonRow {
  id: number;
  email: string;
  active: number;
  vanished_at: string | null;
}

interface AccountRow {
  platform: string;
  account_id: string;
  address: string | null;
}

const personColumns = 'p.id, p.email, p.active, p.vanished_at';

/**
 * People as chat adapters know them: their accounts on each platform (found by email, kept in `chat_accounts`)
 * and how to reach them there, and their departure when a workspace deletes their account. Each method is one
 * transaction.
 */
export class ChatPeople {
  private readonly s;

  constructor(
    private readonly db: Database.Database,
    private readonly audit: AuditLog,
  ) {
    this.s = {
      person: db.prepare<[number], PersonRow>(`SELECT ${personColumns} FROM people p WHERE p.id = ?`),
      byEmail: db.prepare<[string], PersonRow>(`SELECT ${personColumns} FROM people p WHERE p.email = ?`),
      byAccount: db.prepare<[string, string], PersonRow>(
        `SELECT ${personColumns} FROM chat_accounts a JOIN people p ON p.id = a.person_id WHERE a.platform = ? AND a.account_id = ?`,
      ),
      accounts: db.prepare<[number], AccountRow>('SELECT platform, account_id, address FROM chat_accounts WHERE person_id = ? ORDER BY platform'),
      // One account is one person, and a person has one account per platform: whatever stood in the way lets go.
      release: db.prepare<{ platform: string; account: string; person: number }>(
        'DELETE FROM chat_accounts WHERE platform = @platform AND ((account_id = @account AND person_id <> @person) OR (person_id = @person AND account_id <> @account))',
      ),
      // The address belongs to the account it was found for: the same account keeps it when none is given.
      link: db.prepare<{ platform: string; account: string; person: number; address: string | null }>(
        `INSERT INTO chat_accounts (platform, account_id, person_id, address) VALUES (@platform, @account, @person, @address)
         ON CONFLICT (platform, account_id) DO UPDATE SET address = coalesce(excluded.address, address)`,
      ),
      // Inactive until a source lists them as active again; the tick's leaver flow re-routes their items.
      deactivate: db.prepare<[number]>('UPDATE people SET active = 0, left_handled_at = CASE WHEN vanished_at IS NULL THEN NULL ELSE left_handled_at END WHERE id = ?'),
    };
  }

  // Each read is one transaction: the person and their accounts are one snapshot.
  person(personId: number): ChatPerson | null {
    return this.db.transaction(() => this.toChatPerson(this.s.person.get(personId)))();
  }

  personBy(actor: ActorKey): ChatPerson | null {
    return this.db.transaction(() => this.toChatPerson(this.rowBy(actor)))();
  }

  link(personId: number, key: ChatAccountKey, address: string | null): void {
    this.db.transaction(() => {
      if (!this.s.person.get(personId)) throw new NotFoundError(`there is no person ${personId} to link the ${key.platform} account ${key.accountId} to`);
      this.s.release.run({ platform: key.platform, account: key.accountId, person: personId });
      this.s.link.run({ platform: key.platform, account: key.accountId, person: personId, address });
    }).immediate();
  }

  /**
   * Marks the person behind a chat account inactive and records why. A person already inactive is left as they
   * are (a repeated event changes nothing); one who had vanished from their source was already handled as a
   * leaver, so the flow is not started again.
   */
  markLeft(actor: ActorKey, at: string, reason: string): { personId: number; email: string } | null {
    return this.db.transaction(() => {
      const person = this.rowBy(actor);
      if (!person) return null;
      if (person.active === 1) {
        this.s.deactivate.run(person.id);
        this.audit.append({ at, actor: 'email' in actor ? 'steward' : actor.platform, action: 'person.deactivated', subject: person.email, details: { reason, account: actor } });
      }
      return { personId: person.id, email: person.email };
    }).immediate();
  }

  private toChatPerson(row: PersonRow | undefined): ChatPerson | null {
    if (!row) return null;
    const accounts: ChatAccount[] = this.s.accounts.all(row.id).map((a) => ({ platform: a.platform, accountId: a.account_id, address: a.address }));
    return { personId: row.id, email: row.email, active: row.active === 1 && row.vanished_at === null, accounts };
  }

  /** One indexed read by the key a platform gives (emails are stored lower-cased). */
  private rowBy(actor: ActorKey): PersonRow | undefined {
    if ('email' in actor) return this.s.byEmail.get(actor.email.trim().toLowerCase());
    return this.s.byAccount.get(actor.platform, actor.accountId);
  }
}

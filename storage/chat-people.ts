import type Database from 'better-sqlite3';
import { NotFoundError } from '../src/errors.js';
import type { ActorKey } from '../src/ports/attestation-store.js';
import type { ChatPerson } from '../src/ports/chat-identity-store.js';
import type { AuditLog } from './audit-log.js';

interface ChatPersonRow {
  id: number;
  email: string;
  active: number;
  vanished_at: string | null;
  slack_user_id: string | null;
  slack_dm_channel: string | null;
}

const chatPersonColumns = 'id, email, active, vanished_at, slack_user_id, slack_dm_channel';

function toChatPerson(row: ChatPersonRow | undefined): ChatPerson | null {
  return row
    ? { personId: row.id, email: row.email, active: row.active === 1 && row.vanished_at === null, slackUserId: row.slack_user_id, slackDmChannel: row.slack_dm_channel }
    : null;
}

/** Which platform reported a person's departure, for the audit trail. */
function platformOf(key: ActorKey): string {
  return 'slackUserId' in key ? 'slack' : 'teamsUserId' in key ? 'teams' : 'steward';
}

/**
 * People as chat adapters know them: their Slack account and DM channel (found by email, cached here), and
 * their departure when the workspace deletes their account. Each method is one transaction.
 */
export class ChatPeople {
  private readonly s;

  constructor(
    private readonly db: Database.Database,
    private readonly audit: AuditLog,
  ) {
    this.s = {
      person: db.prepare<[number], ChatPersonRow>(`SELECT ${chatPersonColumns} FROM people WHERE id = ?`),
      byEmail: db.prepare<[string], ChatPersonRow>(`SELECT ${chatPersonColumns} FROM people WHERE email = ?`),
      bySlack: db.prepare<[string], ChatPersonRow>(`SELECT ${chatPersonColumns} FROM people WHERE slack_user_id = ?`),
      byTeams: db.prepare<[string], ChatPersonRow>(`SELECT ${chatPersonColumns} FROM people WHERE teams_user_id = ?`),
      // One Slack account is one person: whoever held the id before (an old email, a renamed account) lets go.
      release: db.prepare<[string, number]>('UPDATE people SET slack_user_id = NULL, slack_dm_channel = NULL WHERE slack_user_id = ? AND id <> ?'),
      // A DM channel belongs to the account it was opened with: a new account starts without one, while the same
      // account keeps the channel it has when none is given.
      link: db.prepare<{ id: number; slack: string; dm: string | null }>(
        `UPDATE people SET slack_dm_channel = CASE WHEN slack_user_id IS @slack THEN coalesce(@dm, slack_dm_channel) ELSE @dm END, slack_user_id = @slack
         WHERE id = @id`,
      ),
      // Inactive until a source lists them as active again; the tick's leaver flow re-routes their items.
      deactivate: db.prepare<[number]>('UPDATE people SET active = 0, left_handled_at = CASE WHEN vanished_at IS NULL THEN NULL ELSE left_handled_at END WHERE id = ?'),
    };
  }

  person(personId: number): ChatPerson | null {
    return toChatPerson(this.s.person.get(personId));
  }

  personBy(actor: ActorKey): ChatPerson | null {
    return toChatPerson(this.rowBy(actor));
  }

  linkSlackUser(personId: number, slackUserId: string, dmChannel: string | null): void {
    this.db.transaction(() => {
      if (!this.s.person.get(personId)) throw new NotFoundError(`there is no person ${personId} to link Slack user ${slackUserId} to`);
      this.s.release.run(slackUserId, personId);
      this.s.link.run({ id: personId, slack: slackUserId, dm: dmChannel });
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
        this.audit.append({ at, actor: platformOf(actor), action: 'person.deactivated', subject: person.email, details: { reason, account: actor } });
      }
      return { personId: person.id, email: person.email };
    }).immediate();
  }

  /** One indexed read by the key a platform gives (emails are stored lower-cased). */
  private rowBy(actor: ActorKey): ChatPersonRow | undefined {
    if ('email' in actor) return this.s.byEmail.get(actor.email.trim().toLowerCase());
    if ('slackUserId' in actor) return this.s.bySlack.get(actor.slackUserId);
    return this.s.byTeams.get(actor.teamsUserId);
  }
}

/**
 * Forward-only schema migrations, applied in order at start-up. Never edit a migration that has shipped:
 * add the next one. Times are ISO-8601 UTC text (they sort as text); names follow snake_case.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  /**
   * Rewrites of a table's CREATE statement that change no stored byte and accept exactly the same rows (a CHECK
   * written another way): made in place, as SQLite documents for changing CHECK constraints (writable_schema), rather
   * than by copying the table. Each `from` must be found in the statement, once.
   */
  readonly rewrites?: readonly SchemaRewrite[];
}

export interface SchemaRewrite {
  readonly table: string;
  readonly from: string;
  readonly to: string;
}

/**
 * A CHECK that `column` is one of `values`, as an IN list and as a chain of comparisons. They accept the same rows
 * (NULL passes both, and both compare with the column's collation), but SQLite builds a temporary index for an IN
 * list of three or more values each time a statement runs: once per row inserted, when it is a CHECK.
 */
function oneOf(table: string, column: string, values: readonly string[]): SchemaRewrite {
  const quoted = values.map((v) => `'${v}'`);
  return { table, from: `${column} IN (${quoted.join(', ')})`, to: quoted.map((v) => `${column} = ${v}`).join(' OR ') };
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'inventory and ownership',
    sql: `
      CREATE TABLE imports (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        format TEXT NOT NULL,
        actor TEXT NOT NULL,
        at TEXT NOT NULL,
        report TEXT NOT NULL DEFAULT '{}'
      );

      CREATE TABLE people (
        id INTEGER PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        display_name TEXT,
        slack_user_id TEXT UNIQUE,
        teams_user_id TEXT UNIQUE,
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        -- The source that declares this person; NULL while they are only named as someone's owner.
        source TEXT,
        last_import_id INTEGER REFERENCES imports(id),
        first_seen_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        vanished_at TEXT
      );

      CREATE TABLE teams (
        id INTEGER PRIMARY KEY,
        slug TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        parent_id INTEGER REFERENCES teams(id),
        lead_person_id INTEGER REFERENCES people(id),
        channel TEXT,
        source TEXT,
        last_import_id INTEGER REFERENCES imports(id),
        first_seen_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        vanished_at TEXT
      );

      CREATE TABLE team_members (
        team_id INTEGER NOT NULL REFERENCES teams(id),
        person_id INTEGER NOT NULL REFERENCES people(id),
        source TEXT NOT NULL,
        PRIMARY KEY (team_id, person_id)
      ) WITHOUT ROWID;
      CREATE INDEX team_members_person ON team_members(person_id);

      -- APIs and machine identities share one table: one key space for links, ownership history and
      -- (later) attestations, and one row write per imported record. Columns of the other kind stay NULL.
      CREATE TABLE items (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('api', 'identity')),
        ref TEXT NOT NULL COLLATE NOCASE,
        name TEXT NOT NULL COLLATE NOCASE,
        purpose TEXT,
        sensitivity TEXT CHECK (sensitivity IN ('public', 'internal', 'confidential', 'restricted')),
        exposure TEXT CHECK (exposure IN ('internal', 'partner', 'public')),
        auth_method TEXT,
        revocation_path TEXT,
        lifecycle TEXT CHECK (lifecycle IN ('experimental', 'production', 'deprecated', 'decommissioned')),
        system TEXT,
        code_path TEXT,
        identity_kind TEXT CHECK (identity_kind IN ('service_account', 'oauth_client', 'api_key', 'token', 'certificate', 'ssh_key', 'workload_identity')),
        provider TEXT,
        scopes TEXT NOT NULL DEFAULT '[]',
        created_at TEXT,
        expires_at TEXT,
        last_rotated_at TEXT,
        last_used_at TEXT,
        last_used_service TEXT,
        recovery_procedure TEXT,
        status TEXT CHECK (status IN ('active', 'disabled', 'revoked', 'decommissioned')),
        -- The current owner; earlier owners are in ownership_periods.
        owner_team_id INTEGER REFERENCES teams(id),
        accountable_person_id INTEGER REFERENCES people(id),
        backup_person_id INTEGER REFERENCES people(id),
        approver_person_id INTEGER REFERENCES people(id),
        owned_since TEXT,
        source TEXT NOT NULL,
        source_key TEXT NOT NULL,
        last_import_id INTEGER NOT NULL REFERENCES imports(id),
        first_seen_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        vanished_at TEXT,
        UNIQUE (kind, ref),
        UNIQUE (source, source_key),
        CHECK (kind = 'api' OR (identity_kind IS NOT NULL AND provider IS NOT NULL AND status IS NOT NULL))
      );
      CREATE INDEX items_name ON items(name);
      CREATE INDEX items_owner_team ON items(owner_team_id);
      CREATE INDEX items_accountable ON items(accountable_person_id);
      CREATE INDEX items_backup ON items(backup_person_id) WHERE backup_person_id IS NOT NULL;
      CREATE INDEX items_expires ON items(expires_at) WHERE expires_at IS NOT NULL;
      CREATE INDEX items_without_owner ON items(id) WHERE owner_team_id IS NULL OR accountable_person_id IS NULL;

      CREATE TABLE ownership_periods (
        id INTEGER PRIMARY KEY,
        item_id INTEGER NOT NULL REFERENCES items(id),
        team_id INTEGER REFERENCES teams(id),
        accountable_person_id INTEGER REFERENCES people(id),
        backup_person_id INTEGER REFERENCES people(id),
        approver_person_id INTEGER REFERENCES people(id),
        from_at TEXT,
        to_at TEXT NOT NULL,
        ended_by TEXT NOT NULL
      );
      CREATE INDEX ownership_periods_item ON ownership_periods(item_id, to_at);

      -- Links are kept by the other end's kind and ref, so an edge may name an item another source has not
      -- imported yet; it resolves when that item arrives.
      CREATE TABLE item_links (
        item_id INTEGER NOT NULL REFERENCES items(id),
        relation TEXT NOT NULL CHECK (relation IN ('depends_on', 'serves', 'calls', 'acts_as')),
        to_kind TEXT NOT NULL CHECK (to_kind IN ('api', 'identity')),
        to_ref TEXT NOT NULL COLLATE NOCASE,
        PRIMARY KEY (item_id, relation, to_kind, to_ref)
      ) WITHOUT ROWID;
      CREATE INDEX item_links_to ON item_links(to_kind, to_ref);

      CREATE TABLE owner_suggestions (
        item_kind TEXT NOT NULL,
        item_ref TEXT NOT NULL COLLATE NOCASE,
        source TEXT NOT NULL,
        owners TEXT NOT NULL,
        team_slug TEXT,
        reason TEXT NOT NULL,
        import_id INTEGER NOT NULL REFERENCES imports(id),
        PRIMARY KEY (item_kind, item_ref, source)
      ) WITHOUT ROWID;

      CREATE TABLE findings (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        code TEXT NOT NULL,
        subject TEXT NOT NULL,
        severity TEXT NOT NULL CHECK (severity IN ('warning', 'info')),
        message TEXT NOT NULL,
        location TEXT,
        import_id INTEGER NOT NULL REFERENCES imports(id),
        first_seen_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        resolved_at TEXT,
        UNIQUE (source, code, subject)
      );

      -- Append-only and hash-chained: each row carries the hash of the one before it, so a changed or
      -- deleted row breaks the chain that \`steward audit verify\` walks.
      CREATE TABLE audit_events (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        item_id INTEGER REFERENCES items(id),
        subject TEXT,
        details TEXT NOT NULL DEFAULT '{}',
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE
      );
      CREATE INDEX audit_events_item ON audit_events(item_id) WHERE item_id IS NOT NULL;
      CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
      CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
    `,
  },
  {
    version: 2,
    name: 'attestation loop',
    sql: `
      -- When the tick must look at an item again, and when its next attestation opens. Imports set
      -- next_check_at to the import time for every item they create or change; the tick sets the rest.
      ALTER TABLE items ADD COLUMN next_attestation_at TEXT;
      ALTER TABLE items ADD COLUMN next_check_at TEXT;
      UPDATE items SET next_check_at = last_seen_at WHERE vanished_at IS NULL;
      CREATE INDEX items_next_check ON items(next_check_at) WHERE next_check_at IS NOT NULL;

      -- A person who left (inactive, or vanished from their source) until the tick re-routes their items.
      ALTER TABLE people ADD COLUMN left_handled_at TEXT;
      CREATE INDEX people_leavers ON people(id) WHERE left_handled_at IS NULL AND (active = 0 OR vanished_at IS NOT NULL);

      CREATE TABLE attestations (
        id INTEGER PRIMARY KEY,
        item_id INTEGER NOT NULL REFERENCES items(id),
        person_id INTEGER REFERENCES people(id),
        reason TEXT NOT NULL CHECK (reason IN ('scheduled', 'owner_left')),
        opened_at TEXT NOT NULL,
        due_at TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
        reminders_sent INTEGER NOT NULL DEFAULT 0,
        escalation_level INTEGER NOT NULL DEFAULT 0,
        next_action_at TEXT,
        outcome TEXT CHECK (outcome IN ('attested', 'disputed', 'decommission_requested', 'snoozed', 'expired', 'superseded')),
        closed_at TEXT,
        answered_by INTEGER REFERENCES people(id),
        -- The facts shown, and any the owner corrected: evidence of what was attested, not only that it was.
        facts TEXT NOT NULL,
        changes TEXT,
        note TEXT,
        suggested_owner TEXT,
        snoozed_until TEXT,
        policy_version TEXT NOT NULL,
        CHECK ((status = 'open') = (outcome IS NULL))
      );
      CREATE UNIQUE INDEX attestations_one_open ON attestations(item_id) WHERE status = 'open';
      CREATE INDEX attestations_next_action ON attestations(next_action_at) WHERE status = 'open';
      CREATE INDEX attestations_item ON attestations(item_id, closed_at);

      CREATE TABLE queue_entries (
        id INTEGER PRIMARY KEY,
        item_id INTEGER NOT NULL REFERENCES items(id),
        queue TEXT NOT NULL CHECK (queue IN ('security', 'team')),
        reason TEXT NOT NULL CHECK (reason IN ('unowned', 'no_accountable_person', 'owner_left', 'disputed', 'attestation_expired')),
        detail TEXT,
        queued_at TEXT NOT NULL,
        resolved_at TEXT,
        resolution TEXT,
        resolved_by INTEGER REFERENCES people(id)
      );
      CREATE UNIQUE INDEX queue_entries_open ON queue_entries(item_id) WHERE resolved_at IS NULL;

      CREATE TABLE credential_warnings (
        item_id INTEGER NOT NULL REFERENCES items(id),
        expires_at TEXT NOT NULL,
        offset_days INTEGER NOT NULL,
        sent_at TEXT NOT NULL,
        PRIMARY KEY (item_id, expires_at, offset_days)
      ) WITHOUT ROWID;

      CREATE TABLE item_flags (
        item_id INTEGER NOT NULL REFERENCES items(id),
        code TEXT NOT NULL CHECK (code IN ('past_lifetime', 'stale')),
        detail TEXT NOT NULL,
        flagged_at TEXT NOT NULL,
        PRIMARY KEY (item_id, code)
      ) WITHOUT ROWID;

      -- Every outgoing message, written in the transaction of the decision that caused it, so a crash between
      -- deciding and delivering re-delivers, and a decision applied twice (it cannot be) would not send twice.
      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        created_at TEXT NOT NULL,
        dedupe_key TEXT NOT NULL UNIQUE,
        addressee TEXT NOT NULL,
        kind TEXT NOT NULL,
        body TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        last_error TEXT,
        platform TEXT,
        platform_message_id TEXT,
        platform_channel TEXT,
        sent_at TEXT,
        -- Set when this row re-renders an earlier message that was already delivered (its buttons resolved).
        replaces_id INTEGER REFERENCES outbox(id)
      );
      CREATE INDEX outbox_pending ON outbox(next_attempt_at) WHERE status = 'pending';

      -- Which messages ask about which attestation or queued item, so resolving one updates them all.
      CREATE TABLE outbox_subjects (
        subject TEXT NOT NULL,
        outbox_id INTEGER NOT NULL REFERENCES outbox(id),
        PRIMARY KEY (subject, outbox_id)
      ) WITHOUT ROWID;

      CREATE TABLE ticks (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        policy_version TEXT NOT NULL,
        summary TEXT NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'chat identities',
    sql: `
      -- The DM channel Slack opened for a person (conversations.open), cached with their Slack user id.
      ALTER TABLE people ADD COLUMN slack_dm_channel TEXT;

      -- Chat events already handled, by the platform's event id, so a retried delivery is applied once. Kept
      -- for a day (platforms retry within minutes) and pruned as new ones arrive, so the table stays small.
      CREATE TABLE processed_events (
        event_id TEXT PRIMARY KEY,
        received_at TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX processed_events_received ON processed_events(received_at);
    `,
  },
  {
    version: 4,
    name: 'ticks by time',
    sql: `
      -- The latest tick, in one index lookup: a tick may not run before it (time does not go back).
      CREATE INDEX ticks_at ON ticks(at);
    `,
  },
  {
    version: 5,
    name: 'chat accounts',
    sql: `
      -- People's chat accounts, one table for every platform: keyed by the platform's own account id (a Slack user
      -- id, an Entra object id), with what the platform needs to reach them (Slack: the DM channel; Teams: a
      -- conversation reference). A person has at most one account per platform.
      CREATE TABLE chat_accounts (
        platform TEXT NOT NULL,
        account_id TEXT NOT NULL,
        person_id INTEGER NOT NULL REFERENCES people(id),
        address TEXT,
        PRIMARY KEY (platform, account_id)
      ) WITHOUT ROWID;
      CREATE UNIQUE INDEX chat_accounts_person ON chat_accounts(person_id, platform);

      INSERT INTO chat_accounts (platform, account_id, person_id, address)
        SELECT 'slack', slack_user_id, id, slack_dm_channel FROM people WHERE slack_user_id IS NOT NULL;
      INSERT INTO chat_accounts (platform, account_id, person_id, address)
        SELECT 'teams', teams_user_id, id, NULL FROM people WHERE teams_user_id IS NOT NULL;
      -- The old columns stay (SQLite cannot drop a UNIQUE column) but are emptied: chat_accounts is the one record.
      UPDATE people SET slack_user_id = NULL, slack_dm_channel = NULL, teams_user_id = NULL
        WHERE slack_user_id IS NOT NULL OR slack_dm_channel IS NOT NULL OR teams_user_id IS NOT NULL;
    `,
  },
  {
    version: 6,
    name: 'deliveries',
    sql: `
      -- A message stays platform-neutral; each platform that delivers it has a delivery. A rewrite of the message
      -- (an item resolved) bumps its revision, and every delivery sent at an older one is delivered again as an
      -- update of the platform's message. Routing (which platforms) happens once, after the message is queued.
      ALTER TABLE outbox ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE outbox ADD COLUMN routed_at TEXT;
      ALTER TABLE outbox ADD COLUMN route_problem TEXT;
      CREATE INDEX outbox_unrouted ON outbox(id) WHERE routed_at IS NULL;

      -- Claimed with a lease stored here, not in a process's memory: two dispatchers (two processes) never take
      -- the same delivery, and one that dies leaves a lease that runs out and is taken over.
      CREATE TABLE deliveries (
        id INTEGER PRIMARY KEY,
        message_id INTEGER NOT NULL REFERENCES outbox(id),
        platform TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        lease_owner TEXT,
        lease_until TEXT,
        -- When the lease was taken: a lease that ran out unrecorded leaves the delivery in doubt since then.
        leased_at TEXT,
        leased_revision INTEGER,
        delivered_revision INTEGER,
        platform_message_id TEXT,
        platform_channel TEXT,
        sent_at TEXT,
        last_error TEXT,
        -- Why it was given up: unreachable, not_in_channel, gone, no_destination, refused, gave_up.
        failure TEXT,
        UNIQUE (message_id, platform)
      );
      CREATE INDEX deliveries_due ON deliveries(platform, next_attempt_at) WHERE status = 'pending';
      CREATE INDEX deliveries_failed ON deliveries(failure) WHERE status = 'failed';

      -- The ladder level at which the person asked could not be reached on any platform: the next rung is due.
      ALTER TABLE attestations ADD COLUMN unreachable_level INTEGER;

      -- The latest time recorded, in one index lookup: the last row's is not it when an import at the clock's time
      -- follows a tick --at ahead (time does not go back).
      CREATE INDEX audit_events_at ON audit_events(at);

      -- What was there: a message delivered becomes one sent delivery on its platform; updates of a delivered
      -- message (rows that replaced it) fold into it as its latest revision, still to be sent if they were.
      UPDATE outbox SET
          body = (SELECT u.body FROM outbox u WHERE u.replaces_id = outbox.id ORDER BY u.id DESC LIMIT 1),
          revision = 1 + (SELECT count(*) FROM outbox u WHERE u.replaces_id = outbox.id)
        WHERE id IN (SELECT replaces_id FROM outbox WHERE replaces_id IS NOT NULL);
      INSERT INTO deliveries (message_id, platform, status, attempts, next_attempt_at, delivered_revision, platform_message_id, platform_channel, sent_at)
        SELECT o.id, o.platform,
               CASE WHEN EXISTS (SELECT 1 FROM outbox u WHERE u.replaces_id = o.id AND u.status = 'pending') THEN 'pending' ELSE 'sent' END,
               o.attempts,
               coalesce((SELECT min(u.next_attempt_at) FROM outbox u WHERE u.replaces_id = o.id AND u.status = 'pending'), o.next_attempt_at),
               CASE WHEN EXISTS (SELECT 1 FROM outbox u WHERE u.replaces_id = o.id AND u.status = 'pending') THEN 1 ELSE o.revision END,
               o.platform_message_id, o.platform_channel, o.sent_at
        FROM outbox o WHERE o.replaces_id IS NULL AND o.status = 'sent' AND o.platform IS NOT NULL;
      UPDATE outbox SET routed_at = coalesce(sent_at, created_at) WHERE replaces_id IS NULL AND status = 'sent' AND platform IS NOT NULL;
      -- Given up before platforms were recorded with failures: kept, and shown as stuck.
      UPDATE outbox SET routed_at = created_at, route_problem = 'given up before this version: ' || coalesce(last_error, 'no error recorded')
        WHERE replaces_id IS NULL AND status = 'failed';
      DELETE FROM outbox_subjects WHERE outbox_id IN (SELECT id FROM outbox WHERE replaces_id IS NOT NULL);
      DELETE FROM outbox WHERE replaces_id IS NOT NULL;
    `,
  },
  {
    version: 7,
    name: 'search and list indexes',
    sql: `
      -- \`who\` finds a part of a ref or name, and "did you mean" its near misses, through the trigrams of refs and
      -- names (FTS5's trigram tokenizer, case folded). Only which rows hold a trigram is kept (detail none): a part is
      -- looked up as the rows holding all of its trigrams, then checked against the row. The text stays in items
      -- (external content); the triggers keep the index in step with every write of a ref or name.
      CREATE VIRTUAL TABLE items_search USING fts5(ref, name, content = 'items', content_rowid = 'id', tokenize = 'trigram', detail = 'none', columnsize = 0);
      CREATE TRIGGER items_search_insert AFTER INSERT ON items BEGIN
        INSERT INTO items_search (rowid, ref, name) VALUES (new.id, new.ref, new.name);
      END;
      CREATE TRIGGER items_search_delete AFTER DELETE ON items BEGIN
        INSERT INTO items_search (items_search, rowid, ref, name) VALUES ('delete', old.id, old.ref, old.name);
      END;
      -- A change of case alone leaves the trigrams as they were (they are case folded, and so is this comparison).
      CREATE TRIGGER items_search_update AFTER UPDATE OF ref, name ON items WHEN old.ref IS NOT new.ref OR old.name IS NOT new.name BEGIN
        INSERT INTO items_search (items_search, rowid, ref, name) VALUES ('delete', old.id, old.ref, old.name);
        INSERT INTO items_search (rowid, ref, name) VALUES (new.id, new.ref, new.name);
      END;
      -- Built from what is there, then merged into one segment (its lists read fastest so).
      INSERT INTO items_search (items_search) VALUES ('rebuild');
      INSERT INTO items_search (items_search) VALUES ('optimize');

      -- The first page of \`unowned\` and \`team\` in list order, walked from an index instead of sorting every match,
      -- and their totals counted from the same indexes. They replace the indexes on (id) and (owner_team_id) alone.
      CREATE INDEX items_unowned_by_ref ON items(kind, ref) WHERE owner_team_id IS NULL OR accountable_person_id IS NULL;
      DROP INDEX items_without_owner;
      CREATE INDEX items_team_by_ref ON items(owner_team_id, kind, ref);
      DROP INDEX items_owner_team;
      -- People who left (inactive, or gone from their source), whose items are unowned again: a few rows, not every person.
      CREATE INDEX people_left ON people(id) WHERE active = 0 OR vanished_at IS NOT NULL;
    `,
  },
  {
    version: 8,
    name: 'unchanged items on re-import',
    sql: `
      -- What the import that last wrote an item made it from: the fingerprint of its entry and the owner it left. An
      -- entry brought again unchanged onto an item left as it was is then one lookup and no write: a nightly re-sync
      -- costs what changed. Such an item's row keeps the last_seen_at of its last write; while it is still listed, it
      -- was last seen by its source's latest import (found through imports_source).
      ALTER TABLE items ADD COLUMN import_fingerprint TEXT;
      CREATE INDEX imports_source ON imports(source);
    `,
  },
  {
    version: 9,
    name: 'item checks without temporary indexes',
    sql: '',
    // Every item and link an import inserts ran these CHECKs as IN lists: five temporary indexes built per item and
    // one per link, about half the cost of inserting it.
    rewrites: [
      oneOf('items', 'sensitivity', ['public', 'internal', 'confidential', 'restricted']),
      oneOf('items', 'exposure', ['internal', 'partner', 'public']),
      oneOf('items', 'lifecycle', ['experimental', 'production', 'deprecated', 'decommissioned']),
      oneOf('items', 'identity_kind', ['service_account', 'oauth_client', 'api_key', 'token', 'certificate', 'ssh_key', 'workload_identity']),
      oneOf('items', 'status', ['active', 'disabled', 'revoked', 'decommissioned']),
      oneOf('item_links', 'relation', ['depends_on', 'serves', 'calls', 'acts_as']),
    ],
  },
  {
    version: 10,
    name: 'channel bindings and platform homes',
    sql: `
      -- Channels a platform binds rather than names (Teams has no \`#payments\` to look up): someone types
      -- \`here team <slug>\` or \`here security\` in the channel. One channel per target per platform, so binding again
      -- replaces it. The target is 'security' or 'team:<team id>'; the address is the platform's own, opaque here (Teams:
      -- a serialized conversation reference). Keyed by target first: routing asks which platforms have one bound.
      CREATE TABLE channel_bindings (
        target TEXT NOT NULL,
        platform TEXT NOT NULL,
        team_id INTEGER REFERENCES teams(id),
        address TEXT NOT NULL,
        bound_by INTEGER NOT NULL REFERENCES people(id),
        bound_at TEXT NOT NULL,
        PRIMARY KEY (target, platform),
        CHECK (target = CASE WHEN team_id IS NULL THEN 'security' ELSE 'team:' || team_id END)
      ) WITHOUT ROWID;

      -- The tenant a platform serves when it learns it from its first install (Teams in development mode, with no
      -- MICROSOFT_APP_TENANT_ID): claimed once, then every other tenant is refused.
      CREATE TABLE platform_homes (
        platform TEXT PRIMARY KEY,
        home TEXT NOT NULL,
        claimed_at TEXT NOT NULL
      ) WITHOUT ROWID;

      -- A message no platform could take is routed again from this time, rather than never (a channel may be bound, a
      -- person linked, a platform configured since); NULL for one not tried yet, and once routed. The index of
      -- messages not tried yet leaves the waiting ones out, so they never stand in the way of new ones.
      ALTER TABLE outbox ADD COLUMN route_after TEXT;
      DROP INDEX outbox_unrouted;
      CREATE INDEX outbox_unrouted ON outbox(id) WHERE routed_at IS NULL AND route_after IS NULL;
      CREATE INDEX outbox_route_waiting ON outbox(route_after) WHERE routed_at IS NULL AND route_after IS NOT NULL;
    `,
  },
  {
    version: 11,
    name: 'a person\'s due items by index',
    sql: `
      -- The tick takes all of a person's due items into one prompt (one message per person per tick, also across a
      -- catch-up tick's batches): their items by person and due time, read from the index alone, rather than every
      -- item of theirs read to find the due ones (a million items with a thousand owners: 1.3 s a tick). It serves
      -- what the index by person alone served.
      CREATE INDEX items_accountable_due ON items(accountable_person_id, next_check_at);
      DROP INDEX items_accountable;
    `,
  },
  {
    version: 12,
    name: 'approval requests, votes, approved state and delegations',
    sql: `
      -- A change someone asks for and a named approver decides (DESIGN.md, ApprovalRequest). The payload is the
      -- kind's own (new scopes, the proposed owner, an exception's end date), as JSON. \`approvers\` are the people who
      -- may decide it, chosen by the policy when it was asked (JSON list of person ids); \`needed\` is how many must
      -- approve (a second approver for restricted data or public exposure); 0 for a transfer the owner offers, which
      -- the proposed owner's Accept alone completes. \`offer\` is a transfer's handshake: offered, accepted, declined.
      -- \`where_posted\` is the channel it was posted to ('team' or 'security'); NULL until posted (a request carried
      -- over by this migration is posted by the next tick, with the policy then in force). The ladder columns are the
      -- attestation's: reminders and escalations by the tick, from next_action_at.
      CREATE TABLE approval_requests (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind = 'scope_change' OR kind = 'rotation' OR kind = 'decommission' OR kind = 'ownership_transfer' OR kind = 'exception'),
        item_id INTEGER NOT NULL REFERENCES items(id),
        requested_by INTEGER NOT NULL REFERENCES people(id),
        on_behalf_of INTEGER REFERENCES people(id),
        requested_at TEXT NOT NULL,
        justification TEXT,
        payload TEXT NOT NULL DEFAULT '{}',
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status = 'pending' OR status = 'approved' OR status = 'rejected' OR status = 'expired' OR status = 'cancelled'),
        approvers TEXT NOT NULL DEFAULT '[]',
        needed INTEGER NOT NULL DEFAULT 1,
        offer TEXT CHECK (offer IS NULL OR offer = 'offered' OR offer = 'accepted' OR offer = 'declined'),
        where_posted TEXT CHECK (where_posted IS NULL OR where_posted = 'team' OR where_posted = 'security'),
        policy_version TEXT NOT NULL,
        attestation_id INTEGER REFERENCES attestations(id),
        reminders_sent INTEGER NOT NULL DEFAULT 0,
        escalation_level INTEGER NOT NULL DEFAULT 0,
        offer_reminders_sent INTEGER NOT NULL DEFAULT 0,
        offer_escalation_level INTEGER NOT NULL DEFAULT 0,
        next_action_at TEXT,
        decided_at TEXT,
        decided_by INTEGER REFERENCES people(id),
        decision_reason TEXT
      );
      CREATE INDEX approval_requests_item ON approval_requests(item_id, status);
      CREATE INDEX approval_requests_pending ON approval_requests(status, requested_at) WHERE status = 'pending';
      CREATE INDEX approval_requests_next_action ON approval_requests(next_action_at) WHERE status = 'pending';

      -- Each approver's say, once: the primary key makes a double click or two dispatchers one vote. \`on_behalf_of\`
      -- is the approver a delegate decided for.
      CREATE TABLE approval_votes (
        request_id INTEGER NOT NULL REFERENCES approval_requests(id),
        person_id INTEGER NOT NULL REFERENCES people(id),
        on_behalf_of INTEGER REFERENCES people(id),
        vote TEXT NOT NULL CHECK (vote = 'approve' OR vote = 'reject'),
        at TEXT NOT NULL,
        reason TEXT,
        PRIMARY KEY (request_id, person_id)
      ) WITHOUT ROWID;

      -- What an approved change set, which the next import must not silently undo: the item keeps it and the import
      -- reports the drift until the source agrees (then the row goes). One row per item and field.
      CREATE TABLE approved_state (
        item_id INTEGER NOT NULL REFERENCES items(id),
        field TEXT NOT NULL CHECK (field = 'scopes' OR field = 'owner' OR field = 'retired'),
        value TEXT NOT NULL,
        request_id INTEGER NOT NULL REFERENCES approval_requests(id),
        approved_at TEXT NOT NULL,
        PRIMARY KEY (item_id, field)
      ) WITHOUT ROWID;

      -- Out of office: a person's prompts, reminders and approvals go to the delegate from starts_at until ends_at
      -- (exclusive), resolved when each is sent or decided. ended_at when it was ended early.
      CREATE TABLE delegations (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES people(id),
        delegate_id INTEGER NOT NULL REFERENCES people(id),
        starts_at TEXT NOT NULL,
        ends_at TEXT NOT NULL,
        reason TEXT,
        created_at TEXT NOT NULL,
        created_by INTEGER NOT NULL REFERENCES people(id),
        ended_at TEXT,
        CHECK (person_id <> delegate_id AND ends_at > starts_at)
      );
      CREATE INDEX delegations_person ON delegations(person_id, ends_at);
      -- A message routed to a delegate keeps whom it was for, and the line that says so: routed again later (it
      -- waited for a platform), it goes by the delegation in force then, not the one it met first.
      ALTER TABLE outbox ADD COLUMN delegated_from TEXT;
      ALTER TABLE outbox ADD COLUMN delegated_note TEXT;
      CREATE INDEX delegations_delegate ON delegations(delegate_id, ends_at);

      -- Decommissions recorded as an attestation's outcome before approvals existed become requests, still pending,
      -- for items still there and not retired since, whose owner said nothing else after (a later confirmation
      -- stands); the next tick posts each to its approvers, naming who asked.
      INSERT INTO approval_requests (kind, item_id, requested_by, requested_at, justification, payload, policy_version, attestation_id, next_action_at)
      SELECT 'decommission', a.item_id, a.answered_by, a.closed_at, a.note, '{}', a.policy_version, a.id, a.closed_at
      FROM attestations a JOIN items i ON i.id = a.item_id
      WHERE a.outcome = 'decommission_requested' AND a.answered_by IS NOT NULL
        AND i.vanished_at IS NULL
        AND coalesce(i.lifecycle, '') <> 'decommissioned' AND coalesce(i.status, '') NOT IN ('revoked', 'decommissioned')
        AND a.id = (SELECT max(b.id) FROM attestations b WHERE b.item_id = a.item_id AND b.status = 'closed' AND b.outcome <> 'superseded');
    `,
  },
  {
    version: 13,
    name: 'digests, policy texts and the indexes evidence reads by time',
    sql: `
      -- Each digest's figures as they were when it was made: the next one shows its changes against them and the
      -- chart draws the last twelve. \`scope\` is 'security' (the security leads' digest) or 'team:<slug>'; \`period\`
      -- is the scheduled time it stands for ('scheduled:<ISO>'), so a period is posted once however many ticks see
      -- it, or 'on_demand:<ISO>' for \`steward digest\`. The audit trail's head when it was made is printed on it:
      -- anyone who kept a digest can later prove the trail was not cut short since (\`audit verify --expect-head\`).
      CREATE TABLE digests (
        id INTEGER PRIMARY KEY,
        scope TEXT NOT NULL,
        period TEXT NOT NULL,
        at TEXT NOT NULL,
        figures TEXT NOT NULL,
        audit_events INTEGER NOT NULL,
        audit_head TEXT NOT NULL,
        policy_version TEXT NOT NULL,
        UNIQUE (scope, period)
      );
      CREATE INDEX digests_scope_at ON digests(scope, at);

      -- The text of each policy version recorded on an attestation, a request or a tick: evidence names the rules in
      -- force, not only their hash.
      CREATE TABLE policy_versions (
        version TEXT PRIMARY KEY,
        text TEXT NOT NULL,
        first_seen_at TEXT NOT NULL
      ) WITHOUT ROWID;

      -- Evidence and the digest read what happened in a period: answers, decisions and claims by when they ended.
      CREATE INDEX attestations_closed ON attestations(closed_at) WHERE status = 'closed';
      CREATE INDEX attestations_snoozed ON attestations(snoozed_until) WHERE outcome = 'snoozed';
      CREATE INDEX approval_requests_decided ON approval_requests(decided_at) WHERE decided_at IS NOT NULL;
      CREATE INDEX queue_entries_resolved ON queue_entries(resolved_at) WHERE resolved_at IS NOT NULL;
      CREATE INDEX queue_entries_waiting ON queue_entries(queued_at) WHERE resolved_at IS NULL;
      CREATE INDEX items_vanished ON items(id) WHERE vanished_at IS NOT NULL;
      -- The digest's coverage counts every live item's owner: one pass over this covering index, not the table (a
      -- million identities in a fraction of a second).
      CREATE INDEX items_coverage ON items(kind, owner_team_id, accountable_person_id, vanished_at, lifecycle, status);
      CREATE INDEX attestations_open_due ON attestations(due_at) WHERE status = 'open';
      CREATE INDEX outbox_route_problem ON outbox(id) WHERE route_problem IS NOT NULL;
    `,
  },
];


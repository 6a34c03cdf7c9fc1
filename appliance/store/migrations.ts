// Versioned schema migrations. Each entry moves the database from version N-1 to N and runs
// inside one transaction; PRAGMA user_version records where a database stands. Never edit a
// shipped migration: add a new one.

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /**
   * The migration rebuilds a table other tables reference (SQLite's way to drop a constraint):
   * foreign keys are switched off around it and checked before it commits.
   */
  rebuildsReferencedTable?: boolean;
}

/**
 * The tables the spa's catalogue is read from (profile, hours, services, providers, knowledge):
 * any write to them bumps catalogue_revision, so readers can cache the catalogue across bookings,
 * calls and conversations, which write elsewhere all the time.
 */
const CATALOGUE_TABLES = ['spa_profile', 'opening_hours', 'closures', 'services', 'service_aliases', 'providers', 'provider_services', 'provider_hours', 'provider_time_off', 'knowledge'];

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'booking core',
    sql: `
      CREATE TABLE spa_profile (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        name TEXT NOT NULL,
        address TEXT NOT NULL DEFAULT '',
        phone TEXT NOT NULL DEFAULT '',
        time_zone TEXT NOT NULL
      );
      CREATE TABLE opening_hours (
        id INTEGER PRIMARY KEY,
        weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
        start TEXT NOT NULL,
        end TEXT NOT NULL
      );
      CREATE TABLE closures (
        id INTEGER PRIMARY KEY,
        start_date TEXT NOT NULL,
        end_date TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT ''
      );
      CREATE TABLE services (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        category TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        duration_min INTEGER NOT NULL CHECK (duration_min BETWEEN 1 AND 720),
        buffer_before_min INTEGER NOT NULL DEFAULT 0 CHECK (buffer_before_min BETWEEN 0 AND 240),
        buffer_after_min INTEGER NOT NULL DEFAULT 0 CHECK (buffer_after_min BETWEEN 0 AND 240),
        price_cents INTEGER,
        price_text TEXT NOT NULL DEFAULT '',
        deposit_cents INTEGER NOT NULL DEFAULT 0,
        consult_first INTEGER NOT NULL DEFAULT 0,
        consult_service_id TEXT REFERENCES services(id),
        active INTEGER NOT NULL DEFAULT 1
      );
      CREATE TABLE service_aliases (
        service_id TEXT NOT NULL REFERENCES services(id) ON DELETE CASCADE,
        alias TEXT NOT NULL,
        PRIMARY KEY (service_id, alias)
      );
      CREATE TABLE providers (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        title TEXT NOT NULL DEFAULT '',
        active INTEGER NOT NULL DEFAULT 1
      );
      CREATE TABLE provider_services (
        provider_id TEXT NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
        service_id TEXT NOT NULL REFERENCES services(id) ON DELETE CASCADE,
        PRIMARY KEY (provider_id, service_id)
      );
      CREATE TABLE provider_hours (
        id INTEGER PRIMARY KEY,
        provider_id TEXT NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('work', 'break')),
        weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
        start TEXT NOT NULL,
        end TEXT NOT NULL
      );
      CREATE TABLE provider_time_off (
        id INTEGER PRIMARY KEY,
        provider_id TEXT NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL CHECK (end > start),
        reason TEXT NOT NULL DEFAULT ''
      );
      CREATE TABLE clients (
        id INTEGER PRIMARY KEY,
        phone TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL DEFAULT '',
        email TEXT,
        sms_opt_out INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE appointments (
        id INTEGER PRIMARY KEY,
        client_id INTEGER NOT NULL REFERENCES clients(id),
        service_id TEXT NOT NULL REFERENCES services(id),
        provider_id TEXT NOT NULL REFERENCES providers(id),
        start INTEGER NOT NULL,
        end INTEGER NOT NULL CHECK (end > start),
        block_start INTEGER NOT NULL,
        block_end INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('booked', 'cancelled', 'completed', 'no-show')),
        source TEXT NOT NULL CHECK (source IN ('call', 'sms', 'staff', 'web')),
        notes TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX appointments_status_block ON appointments (status, block_start, block_end, provider_id);
      CREATE INDEX appointments_start ON appointments (start);
      CREATE INDEX appointments_client ON appointments (client_id);
      CREATE TABLE appointment_events (
        id INTEGER PRIMARY KEY,
        appointment_id INTEGER NOT NULL REFERENCES appointments(id),
        at INTEGER NOT NULL,
        kind TEXT NOT NULL,
        source TEXT NOT NULL,
        from_start INTEGER,
        to_start INTEGER,
        note TEXT NOT NULL DEFAULT ''
      );
      CREATE INDEX appointment_events_appointment ON appointment_events (appointment_id);
      CREATE TABLE slot_holds (
        id TEXT PRIMARY KEY,
        service_id TEXT NOT NULL REFERENCES services(id),
        provider_id TEXT NOT NULL REFERENCES providers(id),
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        block_start INTEGER NOT NULL,
        block_end INTEGER NOT NULL,
        holder TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX slot_holds_provider ON slot_holds (provider_id, block_start);
      CREATE TABLE knowledge (
        id TEXT PRIMARY KEY,
        topic TEXT NOT NULL,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        tags TEXT NOT NULL DEFAULT '[]'
      );
    `,
  },
  {
    version: 2,
    name: 'staff accounts and sessions',
    sql: `
      CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('owner', 'staff')),
        password_hash TEXT NOT NULL,
        must_change_password INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX sessions_expires ON sessions (expires_at);
    `,
  },
  {
    version: 3,
    name: 'call log',
    sql: `
      CREATE TABLE calls (
        id INTEGER PRIMARY KEY,
        sip_call_id TEXT NOT NULL,
        direction TEXT NOT NULL DEFAULT 'inbound' CHECK (direction IN ('inbound', 'outbound')),
        caller_phone TEXT,
        caller_raw TEXT NOT NULL DEFAULT '',
        caller_name TEXT NOT NULL DEFAULT '',
        caller_withheld INTEGER NOT NULL DEFAULT 0,
        called TEXT NOT NULL DEFAULT '',
        source_address TEXT NOT NULL DEFAULT '',
        state TEXT NOT NULL CHECK (state IN ('ringing', 'answered', 'ended')),
        outcome TEXT CHECK (outcome IN ('missed', 'answered-elsewhere', 'ai-handled', 'transferred', 'rejected-busy', 'rejected-forbidden', 'failed')),
        end_reason TEXT NOT NULL DEFAULT '',
        codec TEXT,
        invited_at INTEGER NOT NULL,
        answered_at INTEGER,
        ended_at INTEGER,
        recording_path TEXT
      );
      CREATE INDEX calls_invited ON calls (invited_at);
      CREATE INDEX calls_sip_call_id ON calls (sip_call_id);
      CREATE INDEX calls_caller ON calls (caller_phone);
    `,
  },
  {
    version: 4,
    name: 'call turns with latency marks',
    sql: `
      CREATE TABLE call_turns (
        id INTEGER PRIMARY KEY,
        call_id INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        input_kind TEXT NOT NULL CHECK (input_kind IN ('speech', 'dtmf', 'silence', 'greeting')),
        caller_text TEXT NOT NULL DEFAULT '',
        reply_text TEXT NOT NULL DEFAULT '',
        interrupted INTEGER NOT NULL DEFAULT 0,
        end_of_speech INTEGER,
        endpoint INTEGER,
        asr_final INTEGER,
        reply_chosen INTEGER,
        first_audio INTEGER,
        UNIQUE (call_id, idx)
      );
    `,
  },
  {
    version: 5,
    name: 'receptionist conversations and staff alerts',
    sql: `
      CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        channel TEXT NOT NULL CHECK (channel IN ('voice', 'sms', 'chat')),
        phone TEXT,
        call_id INTEGER REFERENCES calls(id) ON DELETE SET NULL,
        state TEXT NOT NULL,
        done INTEGER NOT NULL DEFAULT 0,
        summary TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX conversations_phone ON conversations (phone, updated_at);
      CREATE TABLE conversation_messages (
        id INTEGER PRIMARY KEY,
        conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('caller', 'agent')),
        text TEXT NOT NULL,
        at INTEGER NOT NULL
      );
      CREATE INDEX conversation_messages_conv ON conversation_messages (conversation_id, id);
      CREATE TABLE staff_alerts (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('urgent', 'message', 'question', 'no-availability')),
        conversation_id TEXT REFERENCES conversations(id) ON DELETE SET NULL,
        phone TEXT,
        name TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        resolved_at INTEGER
      );
      CREATE INDEX staff_alerts_open ON staff_alerts (resolved_at, created_at);
      ALTER TABLE calls ADD COLUMN summary TEXT NOT NULL DEFAULT '';
    `,
  },
  {
    version: 6,
    name: 'catalogue revision counter',
    sql: `
      CREATE TABLE catalogue_revision (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);
      INSERT INTO catalogue_revision (id, n) VALUES (1, 0);
      ${CATALOGUE_TABLES.flatMap((t) =>
        ['INSERT', 'UPDATE', 'DELETE'].map(
          (op) => `CREATE TRIGGER ${t}_${op.toLowerCase()}_revision AFTER ${op} ON ${t} BEGIN UPDATE catalogue_revision SET n = n + 1 WHERE id = 1; END;`,
        ),
      ).join('\n      ')}
    `,
  },
  {
    version: 7,
    name: 'staff roles, idle sessions, disabled users, append-only audit log',
    // users is rebuilt to widen its role CHECK ('staff' becomes 'frontdesk'); sessions go with
    // it (everyone logs in again once, under the new session rules).
    sql: `
      DROP TABLE sessions;
      CREATE TABLE users_v7 (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        role TEXT NOT NULL CHECK (role IN ('owner', 'manager', 'frontdesk')),
        password_hash TEXT NOT NULL,
        must_change_password INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        disabled_at INTEGER,
        password_changed_at INTEGER
      );
      INSERT INTO users_v7 (id, username, role, password_hash, must_change_password, created_at)
        SELECT id, username, CASE role WHEN 'owner' THEN 'owner' ELSE 'frontdesk' END, password_hash, must_change_password, created_at FROM users;
      DROP TABLE users;
      ALTER TABLE users_v7 RENAME TO users;
      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        source_address TEXT NOT NULL DEFAULT ''
      );
      CREATE INDEX sessions_user ON sessions (user_id);
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        user_id INTEGER,
        username TEXT NOT NULL DEFAULT '',
        source_address TEXT NOT NULL DEFAULT '',
        action TEXT NOT NULL,
        subject_kind TEXT NOT NULL DEFAULT '',
        subject_id TEXT NOT NULL DEFAULT '',
        status INTEGER NOT NULL DEFAULT 0,
        detail TEXT NOT NULL DEFAULT ''
      );
      CREATE INDEX audit_log_at ON audit_log (at);
      CREATE INDEX audit_log_subject ON audit_log (subject_kind, subject_id);
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    `,
  },
  {
    version: 8,
    name: 'why a call was not recorded, or not to the end',
    sql: `
      ALTER TABLE calls ADD COLUMN recording_error TEXT;
    `,
  },
  {
    version: 9,
    name: 'several clients may share a phone number; recent conversations by time',
    rebuildsReferencedTable: true,
    sql: `
      CREATE TABLE clients_v9 (
        id INTEGER PRIMARY KEY,
        phone TEXT NOT NULL,
        name TEXT NOT NULL DEFAULT '',
        email TEXT,
        sms_opt_out INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL
      );
      INSERT INTO clients_v9 (id, phone, name, email, sms_opt_out, created_at) SELECT id, phone, name, email, sms_opt_out, created_at FROM clients;
      DROP TABLE clients;
      ALTER TABLE clients_v9 RENAME TO clients;
      CREATE INDEX clients_phone ON clients (phone);
      CREATE INDEX conversations_updated ON conversations (updated_at);
    `,
  },
  {
    version: 10,
    name: 'knowledge entries carry example questions in callers\' words',
    sql: `
      ALTER TABLE knowledge ADD COLUMN examples TEXT NOT NULL DEFAULT '[]';
    `,
  },
  {
    version: 11,
    name: 'SMS: messages in and out (the outbox written before sending), their parts for delivery reports, opt-outs, numbers that cannot take texts, threads staff took over',
    sql: `
      CREATE TABLE sms_messages (
        id INTEGER PRIMARY KEY,
        phone TEXT NOT NULL,
        direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
        kind TEXT NOT NULL,
        body TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'delivered', 'failed', 'received', 'cancelled')),
        automated INTEGER NOT NULL DEFAULT 0,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER,
        parts INTEGER NOT NULL DEFAULT 0,
        parts_sent INTEGER NOT NULL DEFAULT 0,
        concat_ref INTEGER,
        error TEXT,
        appointment_id INTEGER,
        staff_user TEXT,
        created_at INTEGER NOT NULL,
        sent_at INTEGER,
        delivered_at INTEGER
      );
      CREATE INDEX sms_messages_phone ON sms_messages (phone, created_at);
      CREATE INDEX sms_messages_due ON sms_messages (status, next_attempt_at);
      CREATE TABLE sms_parts (
        message_id INTEGER NOT NULL REFERENCES sms_messages (id) ON DELETE CASCADE,
        part INTEGER NOT NULL,
        reference INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT 'sent',
        handed_at INTEGER NOT NULL,
        PRIMARY KEY (message_id, part)
      );
      CREATE INDEX sms_parts_reference ON sms_parts (reference, handed_at);
      CREATE TABLE sms_opt_outs (
        phone TEXT PRIMARY KEY,
        opted_out_at INTEGER NOT NULL,
        keyword TEXT NOT NULL
      );
      CREATE TABLE sms_unreachable (
        phone TEXT PRIMARY KEY,
        noted_at INTEGER NOT NULL,
        reason TEXT NOT NULL
      );
      CREATE TABLE sms_threads_paused (
        phone TEXT PRIMARY KEY,
        paused_at INTEGER NOT NULL,
        staff_user TEXT
      );
    `,
  },
  {
    version: 12,
    name: 'staff take a text conversation over: the receptionist stays quiet on it',
    sql: `
      ALTER TABLE conversations ADD COLUMN held_by TEXT;
      ALTER TABLE conversations ADD COLUMN held_at INTEGER;
    `,
  },
  {
    version: 13,
    name: 'one notion of a thread held by staff for SMS and chat (was sms_threads_paused and conversations.held_by); appointments confirmed by reply',
    // An SMS thread is the number (every SMS conversation with it); a chat thread is the conversation.
    // Every hold recorded either way is carried over before the old places go.
    sql: `
      CREATE TABLE staff_holds (
        channel TEXT NOT NULL CHECK (channel IN ('sms', 'chat')),
        thread TEXT NOT NULL,
        held_by TEXT NOT NULL,
        held_at INTEGER NOT NULL,
        PRIMARY KEY (channel, thread)
      );
      INSERT OR IGNORE INTO staff_holds (channel, thread, held_by, held_at)
        SELECT 'sms', phone, COALESCE(staff_user, 'staff'), paused_at FROM sms_threads_paused;
      INSERT OR IGNORE INTO staff_holds (channel, thread, held_by, held_at)
        SELECT CASE WHEN channel = 'sms' AND phone IS NOT NULL THEN 'sms' ELSE 'chat' END,
               CASE WHEN channel = 'sms' AND phone IS NOT NULL THEN phone ELSE id END,
               held_by, COALESCE(held_at, updated_at)
        FROM conversations WHERE held_by IS NOT NULL;
      DROP TABLE sms_threads_paused;
      ALTER TABLE conversations DROP COLUMN held_by;
      ALTER TABLE conversations DROP COLUMN held_at;
      -- The part being handed to the modem (set just before its PDU is written, cleared on the
      -- modem's answer): after a crash it marks a text whose last part may or may not have gone.
      ALTER TABLE sms_messages ADD COLUMN handing_part INTEGER;
      -- A client answered YES to the reminder (shown with the appointment in the calendar).
      CREATE TABLE appointment_confirmations (
        appointment_id INTEGER PRIMARY KEY REFERENCES appointments (id) ON DELETE CASCADE,
        confirmed_at INTEGER NOT NULL,
        via TEXT NOT NULL
      );
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

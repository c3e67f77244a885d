/**
 * Schema migrations, in order; each runs once, in a transaction, and its
 * number is recorded in `schema_migrations`. Append new ones; never edit a
 * migration that has shipped.
 */
export interface Migration {
  id: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: 'maps and collaborative documents',
    sql: `
      CREATE TABLE maps (
        id          TEXT PRIMARY KEY,
        title       TEXT NOT NULL,
        template    TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL
      );
      -- One merged Yjs update per room: everything up to and including seq.
      CREATE TABLE doc_snapshots (
        room        TEXT PRIMARY KEY,
        state       BLOB NOT NULL,
        seq         INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL
      );
      -- The log of updates since the snapshot, in arrival order.
      CREATE TABLE doc_updates (
        seq         INTEGER PRIMARY KEY AUTOINCREMENT,
        room        TEXT NOT NULL,
        data        BLOB NOT NULL,
        created_at  INTEGER NOT NULL
      );
      CREATE INDEX doc_updates_room_seq ON doc_updates (room, seq);
    `,
  },
  {
    id: 2,
    name: 'accounts, members, invitations, personal access tokens, audit log',
    sql: `
      CREATE TABLE users (
        id             TEXT PRIMARY KEY,
        email          TEXT NOT NULL UNIQUE COLLATE NOCASE,
        name           TEXT NOT NULL,
        password_hash  TEXT,
        oidc_subject   TEXT UNIQUE,
        created_at     INTEGER NOT NULL
      );
      CREATE TABLE map_members (
        map_id     TEXT NOT NULL REFERENCES maps (id) ON DELETE CASCADE,
        user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        role       TEXT NOT NULL CHECK (role IN ('owner', 'editor', 'commenter', 'viewer')),
        added_at   INTEGER NOT NULL,
        PRIMARY KEY (map_id, user_id)
      );
      -- A map has exactly one owner: at most one here, at least one by the services.
      CREATE UNIQUE INDEX map_members_one_owner ON map_members (map_id) WHERE role = 'owner';
      CREATE INDEX map_members_user ON map_members (user_id);
      -- Invitations of people who have no account yet; they become members when they sign up.
      CREATE TABLE map_invitations (
        map_id      TEXT NOT NULL REFERENCES maps (id) ON DELETE CASCADE,
        email       TEXT NOT NULL COLLATE NOCASE,
        role        TEXT NOT NULL CHECK (role IN ('editor', 'commenter', 'viewer')),
        invited_by  TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        PRIMARY KEY (map_id, email)
      );
      CREATE TABLE personal_access_tokens (
        id            TEXT PRIMARY KEY,
        user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        name          TEXT NOT NULL,
        token_hash    TEXT NOT NULL UNIQUE,
        created_at    INTEGER NOT NULL,
        last_used_at  INTEGER,
        revoked_at    INTEGER
      );
      CREATE TABLE audit_log (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        map_id        TEXT NOT NULL,
        actor_email   TEXT NOT NULL,
        action        TEXT NOT NULL,
        target_email  TEXT,
        detail        TEXT,
        created_at    INTEGER NOT NULL
      );
      CREATE INDEX audit_log_map ON audit_log (map_id, id);
    `,
  },
  {
    id: 3,
    name: 'master maps, workshop copies, versions',
    sql: `
      ALTER TABLE maps ADD COLUMN is_master INTEGER NOT NULL DEFAULT 0;
      -- A workshop copy: its master, and the master's state when it was forked (the base of the three-way diff).
      CREATE TABLE workshop_copies (
        map_id                 TEXT PRIMARY KEY REFERENCES maps (id) ON DELETE CASCADE,
        master_id              TEXT NOT NULL,
        base_map_state         BLOB NOT NULL,
        base_discussion_state  BLOB NOT NULL,
        started_by             TEXT NOT NULL,
        started_at             INTEGER NOT NULL,
        status                 TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'merged')),
        merged_at              INTEGER,
        merged_by              TEXT
      );
      CREATE INDEX workshop_copies_master ON workshop_copies (master_id, status);
      -- Versions keep full encoded states of both documents: restoring needs no gc-free history.
      CREATE TABLE map_versions (
        id                TEXT PRIMARY KEY,
        map_id            TEXT NOT NULL REFERENCES maps (id) ON DELETE CASCADE,
        name              TEXT NOT NULL,
        kind              TEXT NOT NULL CHECK (kind IN ('named', 'auto')),
        map_state         BLOB NOT NULL,
        discussion_state  BLOB NOT NULL,
        created_by        TEXT NOT NULL,
        created_at        INTEGER NOT NULL
      );
      CREATE INDEX map_versions_map ON map_versions (map_id, created_at);
    `,
  },
  {
    id: 4,
    name: 'notifications: @mentions in comments',
    sql: `
      -- One row per person mentioned in a comment: the unique index makes an edit that mentions them again no second notice.
      CREATE TABLE notifications (
        id             INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        kind           TEXT NOT NULL CHECK (kind IN ('mention')),
        map_id         TEXT NOT NULL,
        touchpoint_id  TEXT NOT NULL,
        comment_id     TEXT NOT NULL,
        actor_id       TEXT NOT NULL,
        actor_name     TEXT NOT NULL,
        touchpoint     TEXT NOT NULL,
        excerpt        TEXT NOT NULL,
        created_at     INTEGER NOT NULL,
        read_at        INTEGER
      );
      CREATE UNIQUE INDEX notifications_once ON notifications (user_id, map_id, comment_id);
      CREATE INDEX notifications_user ON notifications (user_id, id);
    `,
  },
  {
    id: 5,
    name: 'h12-verify: verified email addresses, invitation links with an expiry',
    sql: `
      -- When the address was proven (a confirmation link opened, or vouched for by the operator); null: not yet.
      -- A membership by email attaches only to a verified address.
      ALTER TABLE users ADD COLUMN email_verified_at INTEGER;
      -- An invitation is a single-use link: its id is in the link (signed), the row goes when it is accepted.
      ALTER TABLE map_invitations ADD COLUMN id TEXT;
      ALTER TABLE map_invitations ADD COLUMN expires_at INTEGER;
      -- Invitations made before links existed get an id and a week from now, as a new one would.
      UPDATE map_invitations SET id = lower(hex(randomblob(16))), expires_at = CAST(strftime('%s', 'now') AS INTEGER) * 1000 + 7 * 86400000;
      CREATE UNIQUE INDEX map_invitations_id ON map_invitations (id);
    `,
  },
  {
    id: 6,
    name: 'h12-sessions: session generations, access token scopes and expiries',
    sql: `
      -- Every cookie session carries the generation it was signed in at; raising it ends them all
      -- (sign out everywhere, a password change). Sessions from before start at 0, as the column does.
      ALTER TABLE users ADD COLUMN session_generation INTEGER NOT NULL DEFAULT 0;
      -- Tokens made before scopes and expiries keep what they could do: write, and no expiry (NULL).
      -- 'metrics' (push measured figures, issue 13) is allowed here so that it needs no table rebuild later.
      ALTER TABLE personal_access_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'write' CHECK (scope IN ('read', 'write', 'metrics'));
      ALTER TABLE personal_access_tokens ADD COLUMN expires_at INTEGER;
    `,
  },
  {
    id: 7,
    name: 'h12-discussion: owners of Yjs client ids per room',
    sql: `
      -- The first user who wrote with a Yjs client id in a room owns it; no one else may write with it.
      -- Stored in the transaction of that first update, so that a restart keeps it (the log has no authors).
      CREATE TABLE doc_client_id_owners (
        room        TEXT NOT NULL,
        client_id   INTEGER NOT NULL,
        user_id     TEXT NOT NULL,
        claimed_at  INTEGER NOT NULL,
        PRIMARY KEY (room, client_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    id: 8,
    name: 'h12-lists: stored updates set aside while loading',
    sql: `
      -- What a load could not apply (a log update, or a snapshot replaced by a restore), kept for an
      -- operator to inspect; out of doc_updates so that no later load replays it.
      CREATE TABLE doc_updates_set_aside (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        room          TEXT NOT NULL,
        seq           INTEGER NOT NULL,
        data          BLOB NOT NULL,
        reason        TEXT NOT NULL,
        set_aside_at  INTEGER NOT NULL
      );
      CREATE INDEX doc_updates_set_aside_room ON doc_updates_set_aside (room, seq);
    `,
  },
  {
    id: 9,
    name: 'i13-feed: measured figures',
    sql: `
      -- The contact center's figures (DESIGN.md, "Measured data and outcomes"): one row per map, touchpoint and
      -- month, replaced whole by each push of that month. Not in the Yjs documents: they are the platform's, not
      -- the workshop's, and 120,000 rows would swell every client's copy. Null columns: the figure was not sent.
      CREATE TABLE measurements (
        map_id          TEXT NOT NULL REFERENCES maps (id) ON DELETE CASCADE,
        touchpoint_id   TEXT NOT NULL,
        period          TEXT NOT NULL,
        contacts        INTEGER,
        csat_responses  INTEGER,
        csat_satisfied  INTEGER,
        ces_responses   INTEGER,
        ces_mean        REAL,
        nps_promoters   INTEGER,
        nps_passives    INTEGER,
        nps_detractors  INTEGER,
        verbatims       TEXT,
        updated_at      INTEGER NOT NULL,
        PRIMARY KEY (map_id, touchpoint_id, period)
      ) WITHOUT ROWID;
      CREATE INDEX measurements_period ON measurements (map_id, period);
    `,
  },
  {
    id: 10,
    name: 'i13-speed: measured figures kept by month',
    sql: `
      -- A push writes one month of every touchpoint. Keyed by touchpoint first, that month's rows fell on every page
      -- of the table (and again in measurements_period), so a push cost grew with the months stored; keyed by month
      -- first, a push writes a run of new pages, and listing by period needs no second index.
      CREATE TABLE measurements_by_month (
        map_id          TEXT NOT NULL REFERENCES maps (id) ON DELETE CASCADE,
        period          TEXT NOT NULL,
        touchpoint_id   TEXT NOT NULL,
        contacts        INTEGER,
        csat_responses  INTEGER,
        csat_satisfied  INTEGER,
        ces_responses   INTEGER,
        ces_mean        REAL,
        nps_promoters   INTEGER,
        nps_passives    INTEGER,
        nps_detractors  INTEGER,
        verbatims       TEXT,
        updated_at      INTEGER NOT NULL,
        PRIMARY KEY (map_id, period, touchpoint_id)
      ) WITHOUT ROWID;
      INSERT INTO measurements_by_month (map_id, period, touchpoint_id, contacts, csat_responses, csat_satisfied, ces_responses, ces_mean,
                                         nps_promoters, nps_passives, nps_detractors, verbatims, updated_at)
        SELECT map_id, period, touchpoint_id, contacts, csat_responses, csat_satisfied, ces_responses, ces_mean,
               nps_promoters, nps_passives, nps_detractors, verbatims, updated_at
        FROM measurements;
      DROP TABLE measurements;
      ALTER TABLE measurements_by_month RENAME TO measurements;
    `,
  },
];

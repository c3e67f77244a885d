import type { Migration } from './migrations';

/**
 * The PostgreSQL schema, numbered on its own (server/db/migrations.ts is
 * SQLite's). It holds the same data as SQLite's migrations 1–8, and 2 the measured
 * figures of SQLite's 9 and 10. Times are bigint milliseconds,
 * as in SQLite; emails compare case-insensitively through lower() indexes
 * (SQLite: COLLATE NOCASE). Append new ones; never edit one that has shipped.
 */
export const PG_MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: 'maps, documents, accounts, workshop copies, versions, notifications',
    sql: `
      CREATE TABLE maps (
        id          TEXT PRIMARY KEY,
        title       TEXT NOT NULL,
        template    TEXT NOT NULL,
        created_at  BIGINT NOT NULL,
        updated_at  BIGINT NOT NULL,
        is_master   BOOLEAN NOT NULL DEFAULT false
      );
      -- One merged Yjs update per room: everything up to and including seq.
      CREATE TABLE doc_snapshots (
        room        TEXT PRIMARY KEY,
        state       BYTEA NOT NULL,
        seq         BIGINT NOT NULL,
        updated_at  BIGINT NOT NULL
      );
      -- The log since the snapshot. Appends to a room hold that room's advisory lock until they commit
      -- (server/store/pg-doc-store.ts), so a room's seqs become visible in increasing order.
      CREATE TABLE doc_updates (
        seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        room        TEXT NOT NULL,
        data        BYTEA NOT NULL,
        created_at  BIGINT NOT NULL
      );
      CREATE INDEX doc_updates_room_seq ON doc_updates (room, seq);
      CREATE TABLE doc_client_id_owners (
        room        TEXT NOT NULL,
        client_id   BIGINT NOT NULL,
        user_id     TEXT NOT NULL,
        claimed_at  BIGINT NOT NULL,
        PRIMARY KEY (room, client_id)
      );
      CREATE TABLE doc_updates_set_aside (
        id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        room          TEXT NOT NULL,
        seq           BIGINT NOT NULL,
        data          BYTEA NOT NULL,
        reason        TEXT NOT NULL,
        set_aside_at  BIGINT NOT NULL
      );
      CREATE INDEX doc_updates_set_aside_room ON doc_updates_set_aside (room, seq);

      CREATE TABLE users (
        id                  TEXT PRIMARY KEY,
        email               TEXT NOT NULL,
        name                TEXT NOT NULL,
        password_hash       TEXT,
        oidc_subject        TEXT UNIQUE,
        created_at          BIGINT NOT NULL,
        email_verified_at   BIGINT,
        session_generation  BIGINT NOT NULL DEFAULT 0
      );
      CREATE UNIQUE INDEX users_email ON users (lower(email));
      CREATE TABLE map_members (
        map_id     TEXT NOT NULL REFERENCES maps (id) ON DELETE CASCADE,
        user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        role       TEXT NOT NULL CHECK (role IN ('owner', 'editor', 'commenter', 'viewer')),
        added_at   BIGINT NOT NULL,
        PRIMARY KEY (map_id, user_id)
      );
      -- A map has exactly one owner: at most one here, at least one by the services.
      CREATE UNIQUE INDEX map_members_one_owner ON map_members (map_id) WHERE role = 'owner';
      CREATE INDEX map_members_user ON map_members (user_id);
      CREATE TABLE map_invitations (
        id          TEXT PRIMARY KEY,
        map_id      TEXT NOT NULL REFERENCES maps (id) ON DELETE CASCADE,
        email       TEXT NOT NULL,
        role        TEXT NOT NULL CHECK (role IN ('editor', 'commenter', 'viewer')),
        invited_by  TEXT NOT NULL,
        created_at  BIGINT NOT NULL,
        expires_at  BIGINT NOT NULL
      );
      CREATE UNIQUE INDEX map_invitations_map_email ON map_invitations (map_id, lower(email));
      CREATE TABLE personal_access_tokens (
        id            TEXT PRIMARY KEY,
        user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        name          TEXT NOT NULL,
        token_hash    TEXT NOT NULL UNIQUE,
        created_at    BIGINT NOT NULL,
        last_used_at  BIGINT,
        revoked_at    BIGINT,
        scope         TEXT NOT NULL DEFAULT 'write' CHECK (scope IN ('read', 'write', 'metrics')),
        expires_at    BIGINT
      );
      CREATE TABLE audit_log (
        id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        map_id        TEXT NOT NULL,
        actor_email   TEXT NOT NULL,
        action        TEXT NOT NULL,
        target_email  TEXT,
        detail        TEXT,
        created_at    BIGINT NOT NULL
      );
      CREATE INDEX audit_log_map ON audit_log (map_id, id);

      CREATE TABLE workshop_copies (
        map_id                 TEXT PRIMARY KEY REFERENCES maps (id) ON DELETE CASCADE,
        master_id              TEXT NOT NULL,
        base_map_state         BYTEA NOT NULL,
        base_discussion_state  BYTEA NOT NULL,
        started_by             TEXT NOT NULL,
        started_at             BIGINT NOT NULL,
        status                 TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'merged')),
        merged_at              BIGINT,
        merged_by              TEXT
      );
      CREATE INDEX workshop_copies_master ON workshop_copies (master_id, status);
      -- position: the order of insertion, for versions made in the same millisecond (SQLite uses its rowid).
      CREATE TABLE map_versions (
        id                TEXT PRIMARY KEY,
        position          BIGINT GENERATED ALWAYS AS IDENTITY,
        map_id            TEXT NOT NULL REFERENCES maps (id) ON DELETE CASCADE,
        name              TEXT NOT NULL,
        kind              TEXT NOT NULL CHECK (kind IN ('named', 'auto')),
        map_state         BYTEA NOT NULL,
        discussion_state  BYTEA NOT NULL,
        created_by        TEXT NOT NULL,
        created_at        BIGINT NOT NULL
      );
      CREATE INDEX map_versions_map ON map_versions (map_id, created_at);

      CREATE TABLE notifications (
        id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        kind           TEXT NOT NULL CHECK (kind IN ('mention')),
        map_id         TEXT NOT NULL,
        touchpoint_id  TEXT NOT NULL,
        comment_id     TEXT NOT NULL,
        actor_id       TEXT NOT NULL,
        actor_name     TEXT NOT NULL,
        touchpoint     TEXT NOT NULL,
        excerpt        TEXT NOT NULL,
        created_at     BIGINT NOT NULL,
        read_at        BIGINT
      );
      CREATE UNIQUE INDEX notifications_once ON notifications (user_id, map_id, comment_id);
      CREATE INDEX notifications_user ON notifications (user_id, id);
    `,
  },
  {
    id: 2,
    name: 'measured figures, one row per map, month and touchpoint',
    sql: `
      -- SQLite's migrations 9 and 10: keyed by month first, so a push (one month of every touchpoint) writes a run of
      -- the index, and listing by period needs no second one.
      CREATE TABLE measurements (
        map_id          TEXT NOT NULL REFERENCES maps (id) ON DELETE CASCADE,
        period          TEXT NOT NULL,
        touchpoint_id   TEXT NOT NULL,
        contacts        BIGINT,
        csat_responses  BIGINT,
        csat_satisfied  BIGINT,
        ces_responses   BIGINT,
        ces_mean        DOUBLE PRECISION,
        nps_promoters   BIGINT,
        nps_passives    BIGINT,
        nps_detractors  BIGINT,
        verbatims       TEXT,
        updated_at      BIGINT NOT NULL,
        PRIMARY KEY (map_id, period, touchpoint_id)
      );
    `,
  },
];

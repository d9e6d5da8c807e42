-- StrongZero producer-side tables for H2 2.x (journal database).
-- The default table prefix is "sz_"; with another prefix, replace every "sz_" below.
CREATE TABLE IF NOT EXISTS sz_journal (
    id           BINARY(16)   NOT NULL PRIMARY KEY,           -- Flake id, 16 bytes big-endian (byte order = id order)
    pos          BIGINT,                                      -- NULL until the sequencer stamps it
    msg_type     VARCHAR(255) NOT NULL,
    content_type VARCHAR(32)  NOT NULL,
    msg_key      VARCHAR(255),                                -- ordering key (for example the aggregate id), NULL if none
    headers      VARBINARY(65536),                            -- string pairs, encoded as in docs/protocol.md, NULL if none
    payload      VARBINARY(1000000000) NOT NULL,
    produced_at  BIGINT       NOT NULL                        -- sender clock, epoch ms
);
CREATE UNIQUE INDEX IF NOT EXISTS sz_journal_pos ON sz_journal (pos);
-- Sequencing walks this index (its NULL-pos entries are in id order) instead of sorting the backlog.
CREATE INDEX IF NOT EXISTS sz_journal_unsequenced ON sz_journal (pos, id);
CREATE TABLE IF NOT EXISTS sz_sequencer (
    name       VARCHAR(64)  NOT NULL PRIMARY KEY,
    last_pos   BIGINT       NOT NULL,
    owner      VARCHAR(255),
    updated_at BIGINT       NOT NULL
);
-- What each consumer reported in its last pull (maintained by the producer): for lag and retention.
CREATE TABLE IF NOT EXISTS sz_consumer (
    consumer_name VARCHAR(128) NOT NULL PRIMARY KEY,
    pos           BIGINT       NOT NULL,                     -- the position the consumer pulled after
    last_seen     BIGINT       NOT NULL,                     -- epoch ms of its last pull
    state         VARCHAR(16)  NOT NULL                      -- ACTIVE, REGISTERED, GONE or UNREGISTERED
);

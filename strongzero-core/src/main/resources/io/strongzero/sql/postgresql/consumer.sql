-- StrongZero consumer-side table for PostgreSQL (consumer database).
-- The default table prefix is "sz_"; with another prefix, replace every "sz_" below.
-- One row per (consumer, producer, lane): the position of the last message of that lane whose effects are
-- committed. A consumer with concurrency(1) has one row, lane 0 of 1; with concurrency(n), n rows (lanes 0..n-1),
-- each lane the messages whose key hashes to it.
CREATE TABLE IF NOT EXISTS sz_offset (
    consumer_name VARCHAR(128) NOT NULL,
    producer_name VARCHAR(128) NOT NULL,
    pos           BIGINT       NOT NULL,
    message_id    BYTEA,                              -- Flake id of that message (16 bytes, big-endian), NULL if none
    updated_at    BIGINT       NOT NULL,
    lane          INT          NOT NULL DEFAULT 0,       -- lane number, 0 to lanes - 1
    lanes         INT          NOT NULL DEFAULT 1,       -- the concurrency this position was recorded under
    PRIMARY KEY (consumer_name, producer_name, lane)
);
-- Messages that failed after their last retry (parked), or that block the stream (BLOCK policy),
-- with the full error history as a JSON array. Written in the same transaction that moves the offset.
CREATE TABLE IF NOT EXISTS sz_dead_letter (
    consumer_name   VARCHAR(128) NOT NULL,
    producer_name   VARCHAR(128) NOT NULL,
    message_id      BYTEA        NOT NULL,                  -- Flake id (16 bytes, big-endian)
    pos             BIGINT       NOT NULL,
    msg_type        VARCHAR(255) NOT NULL,
    content_type    VARCHAR(32)  NOT NULL,
    msg_key      VARCHAR(255),                                -- ordering key (for example the aggregate id), NULL if none
    headers      BYTEA,                                       -- string pairs, encoded as in docs/protocol.md, NULL if none
    payload         BYTEA NOT NULL,
    produced_at     BIGINT       NOT NULL,
    status          VARCHAR(16)  NOT NULL,                  -- PARKED, BLOCKING or DISCARDED
    attempts        INT          NOT NULL,
    first_failed_at BIGINT       NOT NULL,
    last_failed_at  BIGINT       NOT NULL,
    errors          TEXT NOT NULL,                           -- JSON array, one entry per attempt
    discard_reason  VARCHAR(1000),
    PRIMARY KEY (consumer_name, producer_name, message_id)
);
-- Messages of a key that a BLOCKING dead letter holds back, with concurrency(n) > 1 (lanes): moved here in the
-- transaction that moves the lane's position past them, applied in position order once the blocking message is
-- replayed or discarded. Keyless messages are held under a NULL key, as one key.
CREATE TABLE IF NOT EXISTS sz_held (
    consumer_name VARCHAR(128) NOT NULL,
    producer_name VARCHAR(128) NOT NULL,
    pos           BIGINT       NOT NULL,
    message_id    BYTEA        NOT NULL,                  -- Flake id (16 bytes, big-endian)
    msg_type      VARCHAR(255) NOT NULL,
    content_type  VARCHAR(32)  NOT NULL,
    msg_key       VARCHAR(255),                         -- the key held back, NULL for keyless messages
    headers       BYTEA,                              -- string pairs, encoded as in docs/protocol.md, NULL if none
    payload       BYTEA NOT NULL,
    produced_at   BIGINT       NOT NULL,
    held_at       BIGINT       NOT NULL,
    PRIMARY KEY (consumer_name, producer_name, pos)
);
-- Idempotency claims for side effects outside the consumer database (IdempotencyGuard).
CREATE TABLE IF NOT EXISTS sz_processed (
    consumer_name VARCHAR(128) NOT NULL,
    effect_name   VARCHAR(128) NOT NULL,
    message_id    BYTEA        NOT NULL,                    -- Flake id (16 bytes, big-endian)
    status        VARCHAR(8)   NOT NULL,                    -- CLAIMED or DONE
    claimed_at    BIGINT       NOT NULL,
    PRIMARY KEY (consumer_name, effect_name, message_id)
);

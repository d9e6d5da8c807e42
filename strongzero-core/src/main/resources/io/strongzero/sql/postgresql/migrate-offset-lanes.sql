-- StrongZero: adds lanes to the consumer's offset table of PostgreSQL (issue 17: ConsumerConfig.concurrency(n)).
-- Run it ONCE, on an offset table of format 2 without the lane column, with every consumer of this database
-- stopped; back up first. See docs/schema.md, "Adding lanes to the offset table". A format-1 table takes
-- migrate-1-to-2-consumer.sql first. The default table prefix is "sz_"; Schema.laneMigration() rewrites it.
-- It adds the columns lane (default 0) and lanes (default 1), so every existing row becomes lane 0 of a
-- 1-lane generation with its position unchanged, and makes (consumer_name, producer_name, lane) the primary
-- key sz_offset_pkey (the name CREATE TABLE gave it), in one ALTER TABLE: all of it or, if it fails, nothing.
-- Guard: on a table that already has the lane column the next statement fails with the error
-- "sz_offset_already_has_lanes", and nothing is changed. (The DO block must stay on one line.)
DO $$ BEGIN IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND LOWER(table_name) = 'sz_offset' AND LOWER(column_name) = 'lane') THEN RAISE EXCEPTION 'sz_offset_already_has_lanes: the table already has the column lane; nothing was changed'; END IF; END $$;
ALTER TABLE sz_offset
    ADD COLUMN lane INT NOT NULL DEFAULT 0,
    ADD COLUMN lanes INT NOT NULL DEFAULT 1,
    DROP CONSTRAINT sz_offset_pkey,
    ADD CONSTRAINT sz_offset_pkey PRIMARY KEY (consumer_name, producer_name, lane);
-- The held table of per-key BLOCK with lanes (as in consumer.sql).
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

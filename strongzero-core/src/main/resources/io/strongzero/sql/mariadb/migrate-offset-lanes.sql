-- StrongZero: adds lanes to the consumer's offset table of MariaDB (issue 17: ConsumerConfig.concurrency(n)).
-- Run it ONCE, on an offset table of format 2 without the lane column, with every consumer of this database
-- stopped; back up first. See docs/schema.md, "Adding lanes to the offset table". A format-1 table takes
-- migrate-1-to-2-consumer.sql first. The default table prefix is "sz_"; Schema.laneMigration() rewrites it.
-- It adds the columns lane (default 0) and lanes (default 1), so every existing row becomes lane 0 of a
-- 1-lane generation with its position unchanged, and makes (consumer_name, producer_name, lane) the primary
-- key, in one ALTER TABLE: it changes the whole table or, if it fails, nothing.
-- Guard: on a table that already has the lane column the next statement fails, naming the column
-- "sz_offset_already_has_lanes", and nothing is changed (the guard table is not created). It relies on
-- strict mode (STRICT_TRANS_TABLES, the default); without it, the ALTER TABLE refuses the duplicate column.
CREATE TABLE sz_lane_migration_guard (sz_offset_already_has_lanes INT NOT NULL) ENGINE=InnoDB
    SELECT CASE WHEN COUNT(*) = 0 THEN 1 END AS sz_offset_already_has_lanes FROM information_schema.columns
    WHERE table_schema = DATABASE() AND LOWER(table_name) = 'sz_offset' AND LOWER(column_name) = 'lane';
DROP TABLE sz_lane_migration_guard;
ALTER TABLE sz_offset
    ADD COLUMN lane INT NOT NULL DEFAULT 0,
    ADD COLUMN lanes INT NOT NULL DEFAULT 1,
    DROP PRIMARY KEY,
    ADD PRIMARY KEY (consumer_name, producer_name, lane);
-- The held table of per-key BLOCK with lanes (as in consumer.sql).
CREATE TABLE IF NOT EXISTS sz_held (
    consumer_name VARCHAR(128) NOT NULL,
    producer_name VARCHAR(128) NOT NULL,
    pos           BIGINT       NOT NULL,
    message_id    BINARY(16)   NOT NULL,                  -- Flake id (16 bytes, big-endian)
    msg_type      VARCHAR(255) NOT NULL,
    content_type  VARCHAR(32)  NOT NULL,
    msg_key       VARCHAR(255),                         -- the key held back, NULL for keyless messages
    headers       BLOB,                              -- string pairs, encoded as in docs/protocol.md, NULL if none
    payload       LONGBLOB NOT NULL,
    produced_at   BIGINT       NOT NULL,
    held_at       BIGINT       NOT NULL,
    PRIMARY KEY (consumer_name, producer_name, pos)
) ENGINE=InnoDB;

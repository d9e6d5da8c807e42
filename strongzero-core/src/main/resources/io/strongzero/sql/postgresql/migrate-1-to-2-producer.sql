-- StrongZero: migrates the producer-side tables of PostgreSQL from journal format 1 to format 2 (issue 15).
-- Format 1 stores Flake ids as 32 hex characters; format 2 stores their 16 bytes and adds the nullable
-- msg_key and headers columns. Run it ONCE, on format-1 tables, with the pump, the producer and every
-- sender of this journal stopped; back up first: it is one-way. See docs/schema.md, "Migrating from
-- format 1 to format 2". The default table prefix is "sz_"; Schema.migration() rewrites it.
-- It copies the journal into a new table (every row and position; NULL positions stay NULL and the pump
-- stamps them after the restart), drops the old one and renames the copy. The sequencer and consumer
-- tables do not change. Run it in one transaction (psql --single-transaction -v ON_ERROR_STOP=1 -f ...):
-- then a failure leaves the format-1 tables as they were.
-- Guard: on tables already in format 2 (they have msg_key) the next statement fails, naming the column
-- "sz_journal_is_already_in_format_2", and nothing is changed.
CREATE TABLE IF NOT EXISTS sz_migration_guard (sz_journal_is_already_in_format_2 INT NOT NULL);
INSERT INTO sz_migration_guard SELECT CASE WHEN COUNT(*) = 0 THEN 1 END FROM information_schema.columns
    WHERE table_schema = current_schema() AND LOWER(table_name) = 'sz_journal' AND LOWER(column_name) = 'msg_key';
DROP TABLE sz_migration_guard;
CREATE TABLE sz_journal_f2 (
    id           BYTEA        NOT NULL,
    pos          BIGINT,
    msg_type     VARCHAR(255) NOT NULL,
    content_type VARCHAR(32)  NOT NULL,
    msg_key      VARCHAR(255),
    headers      BYTEA,
    payload      BYTEA        NOT NULL,
    produced_at  BIGINT       NOT NULL
);
-- decode(..., 'hex') gives the 16 bytes of the 32 hex digits (and refuses anything that is not hex).
INSERT INTO sz_journal_f2 (id, pos, msg_type, content_type, payload, produced_at)
    SELECT decode(id, 'hex'), pos, msg_type, content_type, payload, produced_at FROM sz_journal;
DROP TABLE sz_journal;
ALTER TABLE sz_journal_f2 RENAME TO sz_journal;
-- The names and definitions of producer.sql (the old table's constraint and indexes went with it).
ALTER TABLE sz_journal ADD CONSTRAINT sz_journal_pkey PRIMARY KEY (id);
CREATE UNIQUE INDEX sz_journal_pos ON sz_journal (pos) WHERE pos IS NOT NULL;
CREATE INDEX sz_journal_unsequenced ON sz_journal (id) WHERE pos IS NULL;
ALTER TABLE sz_journal SET (autovacuum_vacuum_scale_factor = 0.0, autovacuum_vacuum_threshold = 10000);
ANALYZE sz_journal;

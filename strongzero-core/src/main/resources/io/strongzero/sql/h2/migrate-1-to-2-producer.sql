-- StrongZero: migrates the producer-side tables of H2 2.x from journal format 1 to format 2 (issue 15).
-- Format 1 stores Flake ids as 32 hex characters; format 2 stores their 16 bytes and adds the nullable
-- msg_key and headers columns. Run it ONCE, on format-1 tables, with the pump, the producer and every
-- sender of this journal stopped; back up first: it is one-way. See docs/schema.md, "Migrating from
-- format 1 to format 2". The default table prefix is "sz_"; Schema.migration() rewrites it.
-- It copies the journal into a new table (every row and position; NULL positions stay NULL and the pump
-- stamps them after the restart), drops the old one and renames the copy. The sequencer and consumer
-- tables do not change. H2 commits each statement: if it stops midway, restore the backup and rerun.
-- Guard: on tables already in format 2 (they have msg_key) the next statement fails, naming the column
-- "sz_journal_is_already_in_format_2", and nothing is changed.
CREATE TABLE IF NOT EXISTS sz_migration_guard (sz_journal_is_already_in_format_2 INT NOT NULL);
INSERT INTO sz_migration_guard SELECT CASE WHEN COUNT(*) = 0 THEN 1 END FROM information_schema.columns
    WHERE table_schema = SCHEMA() AND LOWER(table_name) = 'sz_journal' AND LOWER(column_name) = 'msg_key';
DROP TABLE sz_migration_guard;
CREATE TABLE sz_journal_f2 (
    id           BINARY(16)   NOT NULL PRIMARY KEY,
    pos          BIGINT,
    msg_type     VARCHAR(255) NOT NULL,
    content_type VARCHAR(32)  NOT NULL,
    msg_key      VARCHAR(255),
    headers      VARBINARY(65536),
    payload      VARBINARY(1000000000) NOT NULL,
    produced_at  BIGINT       NOT NULL
);
-- CAST(... AS UUID) parses the 32 hex digits (and refuses anything else); CAST(... AS BINARY(16)) gives its bytes.
INSERT INTO sz_journal_f2 (id, pos, msg_type, content_type, payload, produced_at)
    SELECT CAST(CAST(id AS UUID) AS BINARY(16)), pos, msg_type, content_type, payload, produced_at FROM sz_journal;
DROP TABLE sz_journal;
ALTER TABLE sz_journal_f2 RENAME TO sz_journal;
CREATE UNIQUE INDEX sz_journal_pos ON sz_journal (pos);
CREATE INDEX sz_journal_unsequenced ON sz_journal (pos, id);

-- StrongZero: migrates the producer-side tables of MariaDB from journal format 1 to format 2 (issue 15).
-- Format 1 stores Flake ids as 32 hex characters; format 2 stores their 16 bytes and adds the nullable
-- msg_key and headers columns. Run it ONCE, on format-1 tables, with the pump, the producer and every
-- sender of this journal stopped; back up first: it is one-way. See docs/schema.md, "Migrating from
-- format 1 to format 2". The default table prefix is "sz_"; Schema.migration() rewrites it.
-- It copies the journal into a new table (every row and position; NULL positions stay NULL and the pump
-- stamps them after the restart), swaps the two in one RENAME TABLE and drops the old one. The sequencer
-- and consumer tables do not change. MariaDB commits each DDL statement: if it stops before the RENAME,
-- the format-1 table is untouched (drop sz_journal_f2 and rerun); otherwise restore the backup.
-- Guard: on tables already in format 2 (they have msg_key) the next statement fails, naming the column
-- "sz_journal_is_already_in_format_2", and nothing is changed.
CREATE TABLE IF NOT EXISTS sz_migration_guard (sz_journal_is_already_in_format_2 INT NOT NULL) ENGINE=InnoDB;
INSERT INTO sz_migration_guard SELECT CASE WHEN COUNT(*) = 0 THEN 1 END FROM information_schema.columns
    WHERE table_schema = DATABASE() AND LOWER(table_name) = 'sz_journal' AND LOWER(column_name) = 'msg_key';
DROP TABLE sz_migration_guard;
CREATE TABLE sz_journal_f2 (
    id           BINARY(16)   NOT NULL PRIMARY KEY,
    pos          BIGINT NULL,
    msg_type     VARCHAR(255) NOT NULL,
    content_type VARCHAR(32)  NOT NULL,
    msg_key      VARCHAR(255),
    headers      BLOB,
    payload      LONGBLOB     NOT NULL,
    produced_at  BIGINT       NOT NULL,
    UNIQUE KEY sz_journal_pos (pos)
) ENGINE=InnoDB;
-- UNHEX gives the 16 bytes of the 32 hex digits (NULL for anything that is not hex: the NOT NULL refuses it).
INSERT INTO sz_journal_f2 (id, pos, msg_type, content_type, payload, produced_at)
    SELECT UNHEX(id), pos, msg_type, content_type, payload, produced_at FROM sz_journal;
RENAME TABLE sz_journal TO sz_journal_f1, sz_journal_f2 TO sz_journal;
DROP TABLE sz_journal_f1;

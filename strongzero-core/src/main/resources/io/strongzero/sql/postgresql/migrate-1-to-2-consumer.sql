-- StrongZero: migrates the consumer-side tables of PostgreSQL from journal format 1 to format 2 (issue 15).
-- Format 1 stores Flake ids as 32 hex characters; format 2 stores their 16 bytes, and dead letters get the
-- nullable msg_key and headers columns. Run it ONCE, on format-1 tables, with every consumer of this
-- database stopped; back up first: it is one-way. See docs/schema.md, "Migrating from format 1 to
-- format 2". The default table prefix is "sz_"; Schema.migration() rewrites it.
-- It copies each table into a new one (offsets keep their positions, so a consumer resumes where it
-- stopped), drops the old one and renames the copy. Run it in one transaction (psql --single-transaction
-- -v ON_ERROR_STOP=1 -f ...): then a failure leaves the format-1 tables as they were.
-- Guard: on tables already in format 2 (they have msg_key) the next statement fails, naming the column
-- "sz_dead_letter_is_already_in_format_2", and nothing is changed.
CREATE TABLE IF NOT EXISTS sz_migration_guard (sz_dead_letter_is_already_in_format_2 INT NOT NULL);
INSERT INTO sz_migration_guard SELECT CASE WHEN COUNT(*) = 0 THEN 1 END FROM information_schema.columns
    WHERE table_schema = current_schema() AND LOWER(table_name) = 'sz_dead_letter' AND LOWER(column_name) = 'msg_key';
DROP TABLE sz_migration_guard;
CREATE TABLE sz_offset_f2 (
    consumer_name VARCHAR(128) NOT NULL,
    producer_name VARCHAR(128) NOT NULL,
    pos           BIGINT       NOT NULL,
    message_id    BYTEA,
    updated_at    BIGINT       NOT NULL
);
INSERT INTO sz_offset_f2 (consumer_name, producer_name, pos, message_id, updated_at)
    SELECT consumer_name, producer_name, pos, decode(message_id, 'hex'), updated_at FROM sz_offset;
DROP TABLE sz_offset;
ALTER TABLE sz_offset_f2 RENAME TO sz_offset;
ALTER TABLE sz_offset ADD CONSTRAINT sz_offset_pkey PRIMARY KEY (consumer_name, producer_name);
CREATE TABLE sz_dead_letter_f2 (
    consumer_name   VARCHAR(128) NOT NULL,
    producer_name   VARCHAR(128) NOT NULL,
    message_id      BYTEA        NOT NULL,
    pos             BIGINT       NOT NULL,
    msg_type        VARCHAR(255) NOT NULL,
    content_type    VARCHAR(32)  NOT NULL,
    msg_key         VARCHAR(255),
    headers         BYTEA,
    payload         BYTEA        NOT NULL,
    produced_at     BIGINT       NOT NULL,
    status          VARCHAR(16)  NOT NULL,
    attempts        INT          NOT NULL,
    first_failed_at BIGINT       NOT NULL,
    last_failed_at  BIGINT       NOT NULL,
    errors          TEXT         NOT NULL,
    discard_reason  VARCHAR(1000)
);
INSERT INTO sz_dead_letter_f2 (consumer_name, producer_name, message_id, pos, msg_type, content_type, payload,
        produced_at, status, attempts, first_failed_at, last_failed_at, errors, discard_reason)
    SELECT consumer_name, producer_name, decode(message_id, 'hex'), pos, msg_type, content_type,
        payload, produced_at, status, attempts, first_failed_at, last_failed_at, errors, discard_reason
    FROM sz_dead_letter;
DROP TABLE sz_dead_letter;
ALTER TABLE sz_dead_letter_f2 RENAME TO sz_dead_letter;
ALTER TABLE sz_dead_letter ADD CONSTRAINT sz_dead_letter_pkey PRIMARY KEY (consumer_name, producer_name, message_id);
CREATE TABLE sz_processed_f2 (
    consumer_name VARCHAR(128) NOT NULL,
    effect_name   VARCHAR(128) NOT NULL,
    message_id    BYTEA        NOT NULL,
    status        VARCHAR(8)   NOT NULL,
    claimed_at    BIGINT       NOT NULL
);
INSERT INTO sz_processed_f2 (consumer_name, effect_name, message_id, status, claimed_at)
    SELECT consumer_name, effect_name, decode(message_id, 'hex'), status, claimed_at FROM sz_processed;
DROP TABLE sz_processed;
ALTER TABLE sz_processed_f2 RENAME TO sz_processed;
ALTER TABLE sz_processed ADD CONSTRAINT sz_processed_pkey PRIMARY KEY (consumer_name, effect_name, message_id);

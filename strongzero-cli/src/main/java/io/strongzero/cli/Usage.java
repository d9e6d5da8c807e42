package io.strongzero.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/** The usage texts: the general one and one per command. */
final class Usage {

    private Usage() {
    }

    private static final String CONNECTION = """
            Connection options:
              --jdbc URL            JDBC URL: jdbc:postgresql://host:5432/db, jdbc:mariadb://host:3306/db, jdbc:h2:...
              --user U              database user
              --password-env VAR    read the password from the environment variable VAR (never on the command line)
              --prefix P            table prefix (default sz_)
            """;

    private static final String OUTPUT = """
            Output options:
              --json                one JSON document on standard output, errors included, for scripts
              --verbose             stack traces on errors and the library's logs on standard error
              --help, -h            this text
            """;

    static final String STATUS = """
            usage: strongzero status --jdbc URL [--user U] [--password-env VAR] [--prefix P]

            The producer's journal: rows, rows waiting for a position, head (last position), oldest position kept,
            the instance that stamped last, and every consumer the producer knows with its lag (as the producer
            recorded it at the consumer's last pull).

            """ + CONNECTION + "\n" + OUTPUT;

    static final String CONSUMERS = """
            usage: strongzero consumers list                          --jdbc URL ...
                   strongzero consumers register <name> [--position N] --jdbc URL ...
                   strongzero consumers remove <name>                  --jdbc URL ...

            The consumers known to the producer (its sz_consumer table), against the producer's database.
              list       every consumer with its state, position and lag
              register   before a new consumer's first pull: retention keeps every message after --position
                         (default 0) for it. Registers a GONE consumer again.
              remove     declare a consumer GONE: retention no longer waits for it (its messages may be deleted;
                         if it comes back it gets POSITION_EXPIRED). It stays listed as GONE.

            """ + CONNECTION + "\n" + OUTPUT;

    static final String RETENTION = """
            usage: strongzero retention run --min <duration> [--max <duration>] [--chunk N] --jdbc URL ...

            Deletes a prefix of the journal now, as the producer's scheduled retention does: rows that every
            ACTIVE or REGISTERED consumer has pulled past and that are older than --min; with --max, also rows
            older than that whatever the consumers (those behind get POSITION_EXPIRED). Only whole prefixes are
            deleted, in transactions of at most --chunk positions (default 1000), so consumers never meet a gap.

            Durations: 7d, 12h, 1h30m, 45s, 500ms, 0 or ISO-8601 (PT1H).

            """ + CONNECTION + "\n" + OUTPUT;

    static final String DLQ = """
            usage: strongzero dlq list    --consumer NAME [--producer P] [--type T] [--status S] [--limit N] --jdbc URL ...
                   strongzero dlq show    <id> --consumer NAME [--producer P] [--payload] --jdbc URL ...
                   strongzero dlq replay  <id> --consumer NAME [--producer P] --jdbc URL ...
                   strongzero dlq discard <id> --consumer NAME --reason TEXT [--producer P] --jdbc URL ...

            A consumer's dead letters, against the consumer's database (--consumer is the consumer's name).
              list      dead letters, oldest position first; --status open (default: PARKED, BLOCKING and
                        REPLAY_REQUESTED), parked, blocking, replay_requested, discarded or all; --limit (default 100)
              show      one dead letter with its error history; --payload also prints the payload
              replay    asks the running consumer to replay it with its current handler (the CLI cannot run
                        handlers): requested; the running consumer replays it within seconds (or when it starts)
              discard   marks it DISCARDED with the reason (kept for the record); a BLOCKING one's stream resumes
            <id> is the message id (32 hex digits). --producer is needed only if two producers' dead letters share it.

            """ + CONNECTION + "\n" + OUTPUT;

    static final String SCHEMA = """
            usage: strongzero schema --dialect h2|postgresql|mariadb [--side producer|consumer] [--prefix P]

            Prints the DDL of StrongZero's tables (every statement is CREATE ... IF NOT EXISTS): the producer side
            (journal, sequencer and consumer tables, in the producer's database) and the consumer side (offsets,
            dead letters, idempotency claims, in the consumer's database). Both unless --side is given.

            """ + OUTPUT;

    static final String KEYS = """
            usage: strongzero keys generate DIR NAME     write DIR/NAME.key (public) and DIR/NAME.key_secret
                   strongzero keys public FILE            print the public key of a certificate

            CurveZMQ key pairs for encrypted, authenticated transport (docs/security.md). The secret file is
            written with owner-only permissions; existing files are never replaced.
            """;

    static final String HELP = """
            usage: strongzero help [command]

            The general usage, or a command's.
            """;

    static final String GENERAL = """
            StrongZero admin CLI

            usage: strongzero <command> [options]        (java -jar strongzero-cli.jar <command> [options])

            Against the producer's database:
              status                                     journal size, unsequenced rows, head, oldest position,
                                                         sequencer owner, consumers and their lag
              consumers list                             the consumers the producer knows, with their lag
              consumers register <name> [--position N]   keep messages for a consumer that has not pulled yet
              consumers remove <name>                    declare a consumer GONE: retention stops waiting for it
              retention run --min <duration> [--max <duration>] [--chunk N]
                                                         delete the journal prefix every consumer has pulled

            Against the consumer's database (--consumer NAME):
              dlq list [--producer P] [--type T] [--status S] [--limit N]
              dlq show <id> [--payload]                  one dead letter with its error history
              dlq replay <id>                            ask the running consumer to replay it
              dlq discard <id> --reason TEXT             mark it DISCARDED, with the reason

            Without a database:
              schema --dialect h2|postgresql|mariadb [--side producer|consumer] [--prefix P]
                                                         print the DDL
              keys generate DIR NAME                     a CurveZMQ key pair for transport security
              keys public FILE                           the public key of a certificate
              help [command]                             this text, or a command's

            """ + CONNECTION + "\n" + OUTPUT + """

            Exit codes: 0 done, 1 the operation failed (database unreachable, no such consumer or dead letter),
            2 usage error.
            """;

    /** Usage per command name. */
    static final Map<String, String> COMMANDS;

    static {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("status", STATUS);
        m.put("consumers", CONSUMERS);
        m.put("retention", RETENTION);
        m.put("dlq", DLQ);
        m.put("schema", SCHEMA);
        m.put("keys", KEYS);
        m.put("help", HELP);
        COMMANDS = java.util.Collections.unmodifiableMap(m);
    }
}

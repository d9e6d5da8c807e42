package io.strongzero.cli;

import io.strongzero.consumer.DeadLetters;
import io.strongzero.core.StrongZeroStorageException;
import java.util.List;
import java.util.function.Supplier;

/**
 * The consumers and producers a consumer's database knows: those with a row in its offset table (written
 * when a consumer starts a stream from a producer) or in its dead-letter table. A name given to a command
 * that is not among them is a mistake (a typo, or the wrong database), not an empty result: the command
 * fails and names the known ones. The names come from {@link DeadLetters#knownConsumers()} and
 * {@link DeadLetters#knownProducers()}. Stateless.
 */
final class KnownNames {

    /** At most this many names are listed in a message. */
    private static final int SHOWN = 20;

    private KnownNames() {
    }

    /** Fails unless {@code consumer} has a row in the offset or dead-letter table. */
    static void requireConsumer(Database db, DeadLetters dlq, String consumer) {
        List<String> known = read(db, dlq::knownConsumers);
        if (!known.contains(consumer)) {
            throw new CliFailure("no consumer named " + consumer + " in " + db.prefix + "offset or " + db.prefix
                    + "dead_letter at " + db.redact(db.url) + " (is --consumer spelled right, and is this the consumer's "
                    + "database?); known consumers: " + list(known, "none (a consumer is known once it has started)"));
        }
    }

    /** Fails unless {@code consumer} has an offset or a dead letter for {@code producer}. */
    static void requireProducer(Database db, DeadLetters dlq, String consumer, String producer) {
        List<String> known = read(db, dlq::knownProducers);
        if (!known.contains(producer)) {
            throw new CliFailure("consumer " + consumer + " knows no producer named " + producer + " (no row in "
                    + db.prefix + "offset or " + db.prefix + "dead_letter; is --producer spelled right?); known producers "
                    + "of " + consumer + ": " + list(known, "none"));
        }
    }

    private static String list(List<String> names, String none) {
        if (names.isEmpty()) {
            return none;
        }
        if (names.size() <= SHOWN) {
            return String.join(", ", names);
        }
        return String.join(", ", names.subList(0, SHOWN)) + ", ... (" + names.size() + " in all)";
    }

    private static List<String> read(Database db, Supplier<List<String>> names) {
        try {
            return names.get();
        } catch (StrongZeroStorageException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new CliFailure("cannot read the known names from " + db.redact(db.url) + ": "
                    + db.redact(CliFailure.describe(cause)), cause);
        }
    }
}

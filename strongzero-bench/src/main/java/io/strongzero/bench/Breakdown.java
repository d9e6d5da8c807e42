package io.strongzero.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Splits each message's latency into stages, from timestamps taken outside the library:
 * <ol>
 *   <li>{@code schedule_to_commit}: scheduled send time to the sender's commit returning (the
 *       business transaction with its journal insert, plus any delay behind the schedule);</li>
 *   <li>{@code commit_to_stamped}: to the pump's announcement that the head reached the message's
 *       position (wake-up, stamping transaction, commit);</li>
 *   <li>{@code stamped_to_handler}: to the consumer's handler starting (producer read, the reply over
 *       TCP, the consumer's previous apply/commit if one was in progress, decoding).</li>
 * </ol>
 * {@code commit_to_handler} is the last two together: StrongZero's share, without the sender's own
 * transaction. The pump can stamp a row as soon as its commit is visible, a little before the sender's
 * {@code commit()} call returns, and it announces its head once per pass, after the last batch of the
 * pass, while the producer serves whatever is committed; so the middle stages can be slightly negative.
 */
final class Breakdown {

    private Breakdown() {
    }

    static ObjectNode of(JsonNode consumerReply, JsonNode producerReply, JsonNode headEvents) {
        JsonNode positions = consumerReply.path("positions");
        JsonNode handled = consumerReply.path("handler_micros");
        JsonNode intended = consumerReply.path("intended_micros");
        JsonNode commits = producerReply.path("commit_micros");
        JsonNode heads = headEvents.path("heads");
        JsonNode headMicros = headEvents.path("micros");
        int n = positions.size();
        long[] toCommit = new long[n];
        long[] toStamped = new long[n];
        long[] toHandler = new long[n];
        long[] commitToHandler = new long[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            long pos = positions.get(i).asLong();
            if (pos < 0) {
                continue;
            }
            long stamped = firstAtLeast(heads, headMicros, pos);
            if (stamped < 0) {
                continue;
            }
            long commit = commits.get(i).asLong();
            toCommit[k] = commit - intended.get(i).asLong();
            toStamped[k] = stamped - commit;
            toHandler[k] = handled.get(i).asLong() - stamped;
            commitToHandler[k] = handled.get(i).asLong() - commit;
            k++;
        }
        ObjectNode b = Json.object();
        b.set("schedule_to_commit", Latencies.ofMicros(toCommit, k).summaryMillis(false));
        b.set("commit_to_stamped", Latencies.ofMicros(toStamped, k).summaryMillis(false));
        b.set("stamped_to_handler", Latencies.ofMicros(toHandler, k).summaryMillis(false));
        b.set("commit_to_handler", Latencies.ofMicros(commitToHandler, k).summaryMillis(false));
        return b;
    }

    private static long firstAtLeast(JsonNode heads, JsonNode micros, long position) {
        int lo = 0;
        int hi = heads.size() - 1;
        long found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (heads.get(mid).asLong() >= position) {
                found = micros.get(mid).asLong();
                hi = mid - 1;
            } else {
                lo = mid + 1;
            }
        }
        return found;
    }
}

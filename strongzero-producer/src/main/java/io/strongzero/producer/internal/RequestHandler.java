package io.strongzero.producer.internal;

import io.strongzero.core.StrongZeroMetrics;
import io.strongzero.core.internal.Protocol;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * Carries out what one request amounts to ({@link RequestCheck}): a refusal is counted, logged (one detailed
 * WARN per 10 s, the rest summarized) and answered with an ERROR; a pull records the consumer's progress (the
 * committed position it reports, or what it proves about it) and is then served at once ({@link JournalReader}), answered empty (no wait asked) or
 * parked ({@link LongPollRegistry}, BUSY when full). Frontend thread only. Internal API.
 *
 * @param name the producer's name, for logs
 * @param check what a request amounts to
 * @param progress records the consumers' progress
 * @param reader serves pulls from the journal
 * @param replies encodes the replies
 * @param metrics where refusals are measured
 * @param counters the producer's counters
 * @param refusalLog rate-limits the WARNs of refused requests (ticked and flushed by the frontend)
 * @param maxParked most pulls parked at once
 */
public record RequestHandler(String name, RequestCheck check, ProgressRecorder progress, JournalReader reader,
                             Replies replies, StrongZeroMetrics metrics, ProducerCounters counters,
                             HeldBackLog refusalLog, int maxParked) {

    private static final Logger log = ProducerLog.LOG;

    /** Handles {@code in} at {@code head}: replies go to {@code send}, a pull to wait goes to {@code parked}. */
    public void handle(IncomingRequest in, long head, LongPollRegistry parked, Consumer<List<byte[]>> send) {
        RequestCheck.Command command = check.check(in);
        if (command instanceof RequestCheck.Refusal refusal) {
            long n = counters.malformed.incrementAndGet();
            metrics.refused(name, refusal.code());
            if (refusalLog.acquire(refusal.code().name())) {
                log.warn("strongzero-producer[{}]: refused a request from {}{} ({} refused so far; further refusals within "
                        + "10 s are summarized): {}", name, in.peerAddress() == null ? "a peer" : in.peerAddress(),
                        in.userId() == null ? "" : " with key " + in.userId(), n, refusal.message());
            }
            send.accept(Replies.error(refusal.route(), refusal.requestId(), refusal.code(), 0, refusal.message()));
            return;
        }
        RequestCheck.Pull pull = (RequestCheck.Pull) command;
        Protocol.PullRequest r = pull.request();
        // The consumer's committed position: reported by a version 3 pull (ProgressRecorder.committed), else what
        // the pull proves about it (ProgressRecorder.pulled); never the afterPosition of a consumer that reports more
        // (prefetch and lanes pull ahead of what they committed). A key bound to consumer names vouches for the name
        // (RequestCheck checked it is one of them); a plaintext connection or an unbound key does not: such a name is
        // recorded as UNREGISTERED, capped.
        if (pull.reportsCommitted()) {
            progress.committed(r.consumerName(), r.committedPosition(), pull.vouched());
        } else {
            progress.pulled(r.consumerName(), r.afterPosition(), r.maxMessages(), pull.vouched());
        }
        if (r.afterPosition() < head) {
            reader.dispatch(pull, head, send);
        } else if (r.maxWaitMillis() == 0) {
            send.accept(Replies.emptyBatch(pull.route(), pull.version(), r.requestId(), head));
        } else {
            ParkingLot.Admission admission = parked.park(pull);
            if (admission != ParkingLot.Admission.PARKED) {
                send.accept(replies.busy(pull, 1000, (admission == ParkingLot.Admission.FULL ? "has " + maxParked
                        : "has " + LongPollRegistry.MAX_PARKED_PER_CONNECTION + " from this connection")
                        + " parked pulls; retry later"));
            }
        }
    }
}

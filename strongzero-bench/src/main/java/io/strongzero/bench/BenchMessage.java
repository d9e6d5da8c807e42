package io.strongzero.bench;

/**
 * The payload of every benchmark message.
 *
 * @param seq            0, 1, 2, ... per producer JVM, in the order the writers claimed them (not position order)
 * @param intendedMicros the scheduled send time (epoch micros); for unscheduled writes the actual send time
 * @param sendMicros     when the writer actually started the transaction (epoch micros)
 * @param pad            filler that brings the payload to a realistic size
 */
public record BenchMessage(long seq, long intendedMicros, long sendMicros, String pad) {

    /** The message type the harness sends and handles. */
    public static final String TYPE = "bench.msg";

    /** 120 characters: with the other fields a MessagePack payload of about 160 bytes. */
    static final String PAD = "x".repeat(120);
}

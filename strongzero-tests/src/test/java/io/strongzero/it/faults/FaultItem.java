package io.strongzero.it.faults;

/**
 * The payload of every message in the fault tests: an item of an ordering key with its per-key sequence
 * number (1, 2, 3, ... per key, in commit order) and some content to compare on both sides.
 */
public record FaultItem(String key, long seq, String content) {
}

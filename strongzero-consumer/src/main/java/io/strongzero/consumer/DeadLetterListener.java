package io.strongzero.consumer;

/**
 * Told when a message is parked in the dead-letter table or blocks its stream (for alerting). Called on
 * the consumer's thread after the transaction committed: implementations must be fast and must not
 * throw (an exception is logged and ignored). {@link #NONE} does nothing.
 */
@FunctionalInterface
public interface DeadLetterListener {
    DeadLetterListener NONE = letter -> { };

    void onDeadLetter(DeadLetter letter);
}

package io.strongzero.pump;

/**
 * Told when the journal's head position advances (this pump or another instance stamped new rows).
 *
 * <p>Called on one of the pump's threads (the sequencer after stamping or polling, the head notifications' listener
 * after another instance stamped), possibly on both at once, so a listener must be thread-safe; implementations
 * must be fast and must not throw (a thrown exception is logged and ignored). Heads may arrive out of order
 * across the two threads: treat each as "the head is at least this".
 */
@FunctionalInterface
public interface HeadListener {
    /** The new last assigned position. */
    void onHeadAdvanced(long head);
}

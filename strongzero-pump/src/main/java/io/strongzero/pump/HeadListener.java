package io.strongzero.pump;

/**
 * Told when the journal's head position advances (this pump or another instance stamped new rows).
 *
 * <p>Called on the pump's thread: implementations must be fast and must not throw (a thrown exception
 * is logged and ignored).
 */
@FunctionalInterface
public interface HeadListener {
    /** The new last assigned position. */
    void onHeadAdvanced(long head);
}

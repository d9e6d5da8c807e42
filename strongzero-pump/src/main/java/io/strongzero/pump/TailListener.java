package io.strongzero.pump;

import io.strongzero.core.Envelope;
import java.util.List;

/**
 * Told, after each stamping transaction committed, which messages this pump just gave positions to,
 * with their content (an unbroken run of positions, ascending). The producer uses it to answer waiting
 * consumers from memory.
 *
 * <p>Called on the pump's thread: implementations must be fast and must not throw. The list is
 * read-only; do not modify the payload arrays.
 */
@FunctionalInterface
public interface TailListener {
    void onStamped(List<Envelope> messages);
}

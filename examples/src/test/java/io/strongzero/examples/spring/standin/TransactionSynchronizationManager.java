package io.strongzero.examples.spring.standin;

/** Stand-in for {@code org.springframework.transaction.support.TransactionSynchronizationManager}. */
public final class TransactionSynchronizationManager {
    private TransactionSynchronizationManager() {
    }

    public static boolean isSynchronizationActive() {
        return false;
    }

    public static void registerSynchronization(TransactionSynchronization synchronization) {
        throw new IllegalStateException("stand-in: no Spring here");
    }
}

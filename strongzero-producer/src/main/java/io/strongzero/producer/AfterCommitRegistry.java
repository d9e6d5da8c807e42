package io.strongzero.producer;

/**
 * Lets the sender run an action after the current transaction commits, for transaction managers that
 * offer such a hook. With Spring, for example:
 *
 * <pre>{@code
 * AfterCommitRegistry spring = action -> {
 *     if (!TransactionSynchronizationManager.isSynchronizationActive()) {
 *         return false;
 *     }
 *     TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
 *         public void afterCommit() { action.run(); }
 *     });
 *     return true;
 * };
 * }</pre>
 *
 * <p>Implementations must be thread-safe.
 */
@FunctionalInterface
public interface AfterCommitRegistry {
    /**
     * Registers {@code action} to run once after the current transaction commits.
     *
     * @return false if there is no active transaction to attach to (the action is not registered)
     */
    boolean afterCommit(Runnable action);
}

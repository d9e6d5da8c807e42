package io.strongzero.spring.boot.internal;

import io.strongzero.producer.AfterCommitRegistry;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Wakes the pump after the current Spring transaction commits, through a transaction synchronization: once per
 * transaction, however many messages it sends (an inner {@code REQUIRES_NEW} transaction has its own). A hint only:
 * the pump's poll finds the rows anyway. Internal API.
 */
public final class SpringAfterCommit implements AfterCommitRegistry {

    @Override
    public boolean afterCommit(Runnable action) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return false;
        }
        // Spring keeps a transaction's synchronizations in a set: an equal wake-up registered again is not added
        TransactionSynchronizationManager.registerSynchronization(new WakeUp(action));
        return true;
    }

    /**
     * Runs the action after commit, never after a rollback; equal to another wake-up of the same action.
     *
     * @param action what to run
     */
    private record WakeUp(Runnable action) implements TransactionSynchronization {
        @Override
        public void afterCommit() {
            action.run();
        }
    }
}

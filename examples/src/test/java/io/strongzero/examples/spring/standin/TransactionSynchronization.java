package io.strongzero.examples.spring.standin;

/** Stand-in for {@code org.springframework.transaction.support.TransactionSynchronization}. */
public interface TransactionSynchronization {
    default void afterCommit() {
    }
}

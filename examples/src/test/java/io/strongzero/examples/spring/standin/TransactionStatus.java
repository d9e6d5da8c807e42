package io.strongzero.examples.spring.standin;

/** Stand-in for {@code org.springframework.transaction.TransactionStatus}. */
public interface TransactionStatus {
}

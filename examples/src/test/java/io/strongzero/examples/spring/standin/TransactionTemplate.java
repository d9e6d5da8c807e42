package io.strongzero.examples.spring.standin;

import java.util.function.Consumer;

/** Stand-in for {@code org.springframework.transaction.support.TransactionTemplate}. */
public class TransactionTemplate {
    public void executeWithoutResult(Consumer<TransactionStatus> action) {
        throw new IllegalStateException("stand-in: no Spring here");
    }
}

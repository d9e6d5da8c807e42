package io.strongzero.examples.spring;

import io.strongzero.consumer.ConsumerTransactions;
import io.strongzero.consumer.StrongZeroConsumer;
import io.strongzero.consumer.TransactionMode;
import io.strongzero.examples.User;
import io.strongzero.examples.spring.standin.Bean;
import io.strongzero.examples.spring.standin.DataSourceUtils;
import io.strongzero.examples.spring.standin.TransactionAwareDataSourceProxy;
import io.strongzero.examples.spring.standin.TransactionSynchronization;
import io.strongzero.examples.spring.standin.TransactionSynchronizationManager;
import io.strongzero.examples.spring.standin.TransactionTemplate;
import io.strongzero.examples.spring.standin.Transactional;
import io.strongzero.producer.StrongZeroProducer;
import io.strongzero.producer.StrongZeroSender;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The Spring integration shown in {@code docs/transactions.md}. Illustrative: Spring is not a dependency, so
 * this compiles against {@link io.strongzero.examples.spring.standin stand-ins} with Spring's names and
 * signatures; with Spring, import the real types instead and nothing else changes.
 */
final class SpringExample {

    /** Your repository (JPA, JdbcTemplate, jOOQ...), on the same DataSource and transaction manager. */
    interface UserRepository {
        void save(User user);
    }

    /** A configuration class. */
    static final class StrongZeroConfiguration {
        // tag::spring-config[]
        @Bean
        StrongZeroSender strongZeroSender(DataSource dataSource, StrongZeroProducer producer) {
            return StrongZeroSender.builder()
                    .producer(producer)
                    .dataSource(new TransactionAwareDataSourceProxy(dataSource))   // the @Transactional connection
                    .afterCommit(action -> {                                       // wake the pump after commit
                        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
                            return false;
                        }
                        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                            @Override
                            public void afterCommit() {
                                action.run();
                            }
                        });
                        return true;
                    })
                    .build();
        }
        // end::spring-config[]
    }

    /** A service. */
    static final class UserService {
        private final UserRepository users;
        private final StrongZeroSender sender;

        UserService(UserRepository users, StrongZeroSender sender) {
            this.users = users;
            this.sender = sender;
        }

        // tag::spring-service[]
        @Transactional
        public void register(User user) {
            users.save(user);                           // the business change, in the Spring transaction
            sender.send("user.created", user);          // the journal row, in the same transaction
        }                                               // Spring commits; the synchronization wakes the pump
        // end::spring-service[]
    }

    /** A consumer whose handlers use Spring's transactions (MANUAL mode). */
    static StrongZeroConsumer members(DataSource dataSource, TransactionTemplate transactions, UserRepository members,
                                      String endpoint) {
        // tag::spring-manual[]
        StrongZeroConsumer consumer = StrongZeroConsumer.builder()
                .name("members")
                .dataSource(dataSource)                             // the same DataSource Spring manages
                .producer("users", endpoint)
                .transactionMode(TransactionMode.MANUAL)            // the handler owns the transaction
                .handler("user.created", User.class, (message, ctx) -> transactions.executeWithoutResult(status -> {
                    members.save(message.payload());                                // JPA, JdbcTemplate, ...
                    ctx.consumed(DataSourceUtils.getConnection(dataSource));        // the offset, same transaction
                }))
                .build();
        // end::spring-manual[]
        return consumer;
    }

    // tag::spring-transactions[]
    /** The consumer's transactions run by Spring: handlers' repositories then join the apply transaction. */
    static ConsumerTransactions springTransactions(TransactionTemplate template) {
        return new ConsumerTransactions() {
            @Override
            public <T> T inTransaction(DataSource dataSource, Work<T> work) throws Exception {
                List<T> result = new ArrayList<>(1);
                try {
                    template.executeWithoutResult(status -> {
                        try {
                            result.add(work.run(DataSourceUtils.getConnection(dataSource)));  // the bound connection
                        } catch (Exception e) {
                            throw new Rethrown(e);                                          // Spring rolls back
                        }
                    });
                } catch (Rethrown r) {
                    throw r.failure;                                                        // unchanged, as the SPI says
                }
                return result.get(0);
            }
        };
    }
    // end::spring-transactions[]

    /** Carries a checked failure of the work through Spring's callback. */
    private static final class Rethrown extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final Exception failure;

        Rethrown(Exception failure) {
            super(failure);
            this.failure = failure;
        }
    }

    private SpringExample() {
    }
}

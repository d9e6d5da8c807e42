package io.strongzero.spring.boot;

import io.strongzero.consumer.ConsumerConfig;
import io.strongzero.consumer.ConsumerTransactions;
import io.strongzero.consumer.DeadLetterListener;
import io.strongzero.consumer.MessageHandler;
import io.strongzero.consumer.StrongZeroConsumer;
import io.strongzero.consumer.UnknownTypePolicy;
import io.strongzero.core.StrongZeroConfigException;
import io.strongzero.core.StrongZeroMetrics;
import io.strongzero.producer.StrongZeroProducer;
import io.strongzero.producer.StrongZeroSender;
import io.strongzero.pump.StrongZeroPump;
import io.strongzero.spring.boot.internal.ComponentLifecycle;
import io.strongzero.spring.boot.internal.ConfigMapper;
import io.strongzero.spring.boot.internal.HandlerMethods;
import io.strongzero.spring.boot.internal.SpringAfterCommit;
import io.strongzero.spring.boot.internal.SpringSenderDataSource;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Auto-configuration of StrongZero for a Spring Boot application with a {@link DataSource}:
 * <ul>
 *   <li>with {@code strongzero.producer.name}: a {@link StrongZeroPump}, a {@link StrongZeroProducer} and a
 *       {@link StrongZeroSender} whose {@code send(...)} joins the current Spring transaction on that DataSource
 *       (JdbcTemplate, JPA, jOOQ) and wakes the pump after it commits;</li>
 *   <li>with {@code strongzero.consumer.name}: a {@link StrongZeroConsumer} applying the {@link StrongZeroHandler}
 *       methods and {@link StrongZeroHandlerRegistration} beans, in {@code AUTO} mode inside transactions of the
 *       application's {@link PlatformTransactionManager}, so that handlers' writes commit with the offset.</li>
 * </ul>
 * Every bean backs off when the application defines its own of the same type; customizer beans
 * ({@link StrongZeroProducerCustomizer}, {@link StrongZeroSenderCustomizer}, {@link StrongZeroConsumerCustomizer})
 * change the builders for what the properties do not cover.
 *
 * <p>Lifecycle: the components start once the context has created every bean and stop, when it closes, in the order
 * of the phases below: consumers first ({@link #CONSUMER_PHASE}, finishing or abandoning the batch in hand as
 * {@code close()} does), then, after the web server has stopped taking requests, the sender and the pump
 * ({@link #SENDER_PHASE}), then the producer ({@link #PRODUCER_PHASE}).
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
        "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
        "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration",
        "org.springframework.boot.jooq.autoconfigure.JooqAutoConfiguration"})
@ConditionalOnClass({StrongZeroSender.class, PlatformTransactionManager.class})
@ConditionalOnBean(DataSource.class)
@EnableConfigurationProperties(StrongZeroProperties.class)
public class StrongZeroAutoConfiguration {

    /** The consumer's lifecycle phase: starts last, stops first (before the web server's graceful shutdown). */
    public static final int CONSUMER_PHASE = SmartLifecycle.DEFAULT_PHASE - 512;
    /** The sender's and pump's phase: they stop after the web server (whose requests may send) has stopped. */
    public static final int SENDER_PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;
    /** The producer's phase: starts first, stops last, so consumers are served until the pump has stopped. */
    public static final int PRODUCER_PHASE = SmartLifecycle.DEFAULT_PHASE - 8192;

    private static final Logger log = LoggerFactory.getLogger(StrongZeroAutoConfiguration.class);

    /** Creates the auto-configuration (Spring does). */
    public StrongZeroAutoConfiguration() {
    }

    /** The producer side, on {@code strongzero.producer.name}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = "strongzero.producer", name = "name")
    static class ProducerConfiguration {

        @Bean
        @ConditionalOnMissingBean
        StrongZeroPump strongZeroPump(StrongZeroProperties properties, DataSource dataSource,
                                      ObjectProvider<StrongZeroMetrics> metrics) {
            StrongZeroPump.Builder b = StrongZeroPump.builder().config(ConfigMapper.pump(properties)).dataSource(dataSource);
            metrics.ifAvailable(b::metrics);
            return b.build();
        }

        @Bean
        @ConditionalOnMissingBean
        StrongZeroProducer strongZeroProducer(StrongZeroProperties properties, StrongZeroPump pump,
                                              ObjectProvider<StrongZeroMetrics> metrics,
                                              ObjectProvider<StrongZeroProducerCustomizer> customizers) {
            StrongZeroProducer.Builder b = StrongZeroProducer.builder().config(ConfigMapper.producer(properties)).pump(pump);
            metrics.ifAvailable(b::metrics);
            customizers.orderedStream().forEach(c -> c.customize(b));
            return b.build();
        }

        @Bean
        SmartLifecycle strongZeroProducerLifecycle(StrongZeroProducer producer) {
            return new ComponentLifecycle("producer " + producer.name(), PRODUCER_PHASE, producer::start, producer::close);
        }

        @Bean
        SmartLifecycle strongZeroPumpLifecycle(StrongZeroPump pump) {
            // the producer (an earlier phase) starts the pump; it stops here, before the producer
            return new ComponentLifecycle("pump " + pump.name(), SENDER_PHASE, () -> { }, pump::close);
        }
    }

    /** The sender: with the producer, or on its own with {@code strongzero.sender.enabled=true}. */
    @Configuration(proxyBeanMethods = false)
    @Conditional(SenderCondition.class)
    static class SenderConfiguration {

        @Bean
        @ConditionalOnMissingBean
        StrongZeroSender strongZeroSender(StrongZeroProperties properties, DataSource dataSource,
                                          ObjectProvider<StrongZeroPump> pump, ObjectProvider<StrongZeroMetrics> metrics,
                                          ObjectProvider<StrongZeroSenderCustomizer> customizers) {
            StrongZeroSender.Builder b = StrongZeroSender.builder().config(ConfigMapper.sender(properties))
                    .dataSource(new SpringSenderDataSource(dataSource, properties.getSender().isRequireTransaction()))
                    .afterCommit(new SpringAfterCommit());
            pump.ifAvailable(b::pump);
            metrics.ifAvailable(b::metrics);
            customizers.orderedStream().forEach(c -> c.customize(b));
            return b.build();
        }

        @Bean
        SmartLifecycle strongZeroSenderLifecycle(StrongZeroSender sender) {
            return new ComponentLifecycle("sender", SENDER_PHASE, () -> { }, sender::close);
        }
    }

    /** On {@code strongzero.producer.name} or {@code strongzero.sender.enabled=true}. */
    static class SenderCondition extends AnyNestedCondition {
        SenderCondition() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnProperty(prefix = "strongzero.producer", name = "name")
        static class WithProducer {
        }

        @ConditionalOnProperty(prefix = "strongzero.sender", name = "enabled", havingValue = "true")
        static class OnItsOwn {
        }
    }

    /** The consumer, on {@code strongzero.consumer.name}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = "strongzero.consumer", name = "name")
    static class ConsumerConfiguration {

        @Bean
        @ConditionalOnMissingBean
        StrongZeroConsumer strongZeroConsumer(StrongZeroProperties properties, DataSource dataSource,
                                              ConfigurableListableBeanFactory beans,
                                              ObjectProvider<PlatformTransactionManager> transactionManager,
                                              ObjectProvider<StrongZeroHandlerRegistration<?>> registrations,
                                              ObjectProvider<DeadLetterListener> deadLetterListener,
                                              ObjectProvider<StrongZeroMetrics> metrics,
                                              ObjectProvider<StrongZeroConsumerCustomizer> customizers) {
            ConsumerConfig config = ConfigMapper.consumer(properties);
            StrongZeroConsumer.Builder b = StrongZeroConsumer.builder().config(config).dataSource(dataSource);
            PlatformTransactionManager tm = transactionManager.getIfUnique();
            if (tm != null) {
                SpringConsumerTransactions transactions = new SpringConsumerTransactions(tm);
                checkTransactions(transactions, dataSource, config.name());
                b.transactions(transactions);
            } else {
                log.warn("strongzero: consumer {} found no single PlatformTransactionManager: it runs its transactions "
                        + "with plain JDBC, so handlers must write on ctx.connection() (a Spring-managed JdbcTemplate or "
                        + "JPA would write outside the offset's transaction). Define one transaction manager (or mark "
                        + "one @Primary), or set transactions(...) with a StrongZeroConsumerCustomizer", config.name());
            }
            Map<String, String> seen = new LinkedHashMap<>();
            for (HandlerMethods.Found f : HandlerMethods.find(beans)) {
                register(b, seen, f.type(), f.payloadType(), f.handler(), f.source());
            }
            registrations.orderedStream().forEach(r -> register(b, seen, r));
            if (seen.isEmpty() && config.unknownTypePolicy() == UnknownTypePolicy.FAIL) {
                throw new StrongZeroConfigException("strongzero.consumer.name is set (" + config.name() + ") but the "
                        + "application has no handler: annotate a bean method with @StrongZeroHandler(\"<type>\") or "
                        + "declare a StrongZeroHandlerRegistration bean");
            }
            deadLetterListener.ifAvailable(b::deadLetterListener);
            metrics.ifAvailable(b::metrics);
            customizers.orderedStream().forEach(c -> c.customize(b));
            return b.build();
        }

        private static <T> void register(StrongZeroConsumer.Builder b, Map<String, String> seen,
                                         StrongZeroHandlerRegistration<T> r) {
            register(b, seen, r.type(), r.payloadType(), r.handler(), "a StrongZeroHandlerRegistration bean");
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private static void register(StrongZeroConsumer.Builder b, Map<String, String> seen, String type,
                                     Class<?> payloadType, MessageHandler<?> handler, String source) {
            String before = seen.putIfAbsent(type, source);
            if (before != null) {
                throw new StrongZeroConfigException("two handlers for message type '" + type + "': " + before + " and "
                        + source + "; a consumer has one handler per type");
            }
            try {
                b.handler(type, (Class) payloadType, (MessageHandler) handler);
            } catch (StrongZeroConfigException | IllegalArgumentException e) {
                throw new StrongZeroConfigException("handler for '" + type + "' (" + source + "): " + e.getMessage());
            }
        }

        @Bean
        SmartLifecycle strongZeroConsumerLifecycle(StrongZeroConsumer consumer) {
            return new ComponentLifecycle("consumer " + consumer.name(), CONSUMER_PHASE, consumer::start, consumer::close);
        }

        /**
         * One empty transaction, so that a transaction manager of another DataSource fails start-up rather than every
         * message. An unreachable database is left to the consumer, which waits for it.
         */
        private static void checkTransactions(SpringConsumerTransactions transactions, DataSource dataSource, String name) {
            try {
                transactions.inTransaction(dataSource, c -> null);
            } catch (ConsumerTransactions.Unavailable e) {
                log.warn("strongzero: consumer {} could not check its transaction manager: {}", name, e.getMessage());
            } catch (StrongZeroConfigException e) {
                throw new StrongZeroConfigException("consumer " + name + ": " + e.getMessage());
            } catch (Exception e) {
                throw new StrongZeroConfigException("consumer " + name + ": a test transaction with "
                        + transactions.transactionManager() + " failed: " + e);
            }
        }
    }
}

package io.strongzero.spring.boot;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * The {@code strongzero.*} properties. Each default is the core's default for the same setting; the auto-configuration
 * hands the values to the core's configuration builders ({@code PumpConfig}, {@code ProducerConfig},
 * {@code SenderConfig}, {@code ConsumerConfig}, {@code RetryPolicy}), which check them and refuse a bad one with a
 * {@code StrongZeroConfigException} that fails the application's start-up. The property reference is
 * {@code docs/spring-boot.md}.
 */
@ConfigurationProperties("strongzero")
public class StrongZeroProperties {

    /** Prefix of StrongZero's tables (journal, sequencer, consumer, offset, dead letters, ...); all components on one database must agree. */
    private String tablePrefix = "sz_";

    /** Create StrongZero's tables at start-up if they are missing (CREATE ... IF NOT EXISTS); otherwise start-up checks them and fails if they are missing. */
    private boolean createSchemaIfMissing = false;

    @NestedConfigurationProperty
    private final StrongZeroProducerProperties producer = new StrongZeroProducerProperties();

    private final Sender sender = new Sender();

    @NestedConfigurationProperty
    private final StrongZeroConsumerProperties consumer = new StrongZeroConsumerProperties();

    private final Health health = new Health();

    public String getTablePrefix() {
        return tablePrefix;
    }

    public void setTablePrefix(String tablePrefix) {
        this.tablePrefix = tablePrefix;
    }

    public boolean isCreateSchemaIfMissing() {
        return createSchemaIfMissing;
    }

    public void setCreateSchemaIfMissing(boolean createSchemaIfMissing) {
        this.createSchemaIfMissing = createSchemaIfMissing;
    }

    public StrongZeroProducerProperties getProducer() {
        return producer;
    }

    public Sender getSender() {
        return sender;
    }

    public StrongZeroConsumerProperties getConsumer() {
        return consumer;
    }

    public Health getHealth() {
        return health;
    }

    /** The sender that @Transactional code injects: writes messages into the journal in the current transaction. */
    public static class Sender {
        /** Create the sender without a producer in this application (the pump runs elsewhere: set poke-endpoints); with strongzero.producer.name it is always created. */
        private boolean enabled = false;

        /** Refuse send(...) outside a transaction on StrongZero's DataSource; false lets such a message commit on its own. */
        private boolean requireTransaction = true;

        /** The 48-bit Flake node id of the ids this sender makes; empty for the default (process id and random bits). */
        private Long nodeId;

        /** Pumps in other processes to poke after each commit (their poke-endpoint). */
        private List<String> pokeEndpoints = new ArrayList<>();

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public boolean isRequireTransaction() {
            return requireTransaction;
        }

        public void setRequireTransaction(boolean requireTransaction) {
            this.requireTransaction = requireTransaction;
        }

        public Long getNodeId() {
            return nodeId;
        }

        public void setNodeId(Long nodeId) {
            this.nodeId = nodeId;
        }

        public List<String> getPokeEndpoints() {
            return pokeEndpoints;
        }

        public void setPokeEndpoints(List<String> pokeEndpoints) {
            this.pokeEndpoints = pokeEndpoints;
        }
    }

    /** The strongzero health contributor. */
    public static class Health {
        /** Report OUT_OF_SERVICE (not ready) while a consumer cannot reach one of its producers; liveness never depends on it. */
        private boolean readinessRequiresProducers = false;

        public boolean isReadinessRequiresProducers() {
            return readinessRequiresProducers;
        }

        public void setReadinessRequiresProducers(boolean readinessRequiresProducers) {
            this.readinessRequiresProducers = readinessRequiresProducers;
        }
    }
}

package io.strongzero.spring.boot.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.consumer.ConsumerConfig;
import io.strongzero.consumer.RetryPolicy;
import io.strongzero.producer.ProducerConfig;
import io.strongzero.producer.SenderConfig;
import io.strongzero.pump.PumpConfig;
import io.strongzero.spring.boot.StrongZeroConsumerProperties;
import io.strongzero.spring.boot.StrongZeroProperties;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The defaults of {@link StrongZeroProperties}, mapped by {@link ConfigMapper}, are the core's defaults: an
 * application that sets only the required properties gets what the core's builders give, and a default changed on
 * one side only fails here. Every accessor of each configuration is compared, so the failure names the setting.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PropertyDefaultsTest {

    /** The required properties only: a producer named users bound to one endpoint, a consumer named members. */
    private static StrongZeroProperties required() {
        StrongZeroProperties p = new StrongZeroProperties();
        p.getProducer().setName("users");
        p.getProducer().getBind().add("tcp://127.0.0.1:7300");
        p.getConsumer().setName("members");
        StrongZeroConsumerProperties.ProducerEndpoint users = new StrongZeroConsumerProperties.ProducerEndpoint();
        users.setEndpoint("tcp://127.0.0.1:7300");
        p.getConsumer().getProducers().put("users", users);
        return p;
    }

    @Test
    void pumpDefaultsAreTheCoreDefaults() throws Exception {
        assertSameSettings(PumpConfig.builder().name("users").build(), ConfigMapper.pump(required()));
    }

    @Test
    void producerDefaultsAreTheCoreDefaults() throws Exception {
        assertSameSettings(ProducerConfig.builder().bind("tcp://127.0.0.1:7300").build(),
                ConfigMapper.producer(required()));
    }

    @Test
    void senderDefaultsAreTheCoreDefaults() throws Exception {
        SenderConfig core = SenderConfig.builder().build();
        SenderConfig mapped = ConfigMapper.sender(required());
        // the properties always name the prefix (strongzero.table-prefix, default sz_); the core leaves it to the pump's
        assertEquals(null, core.tablePrefix());
        assertEquals("sz_", mapped.tablePrefix());
        assertSameSettings(core.toBuilder().tablePrefix("sz_").build(), mapped);
        assertTrue(mapped.requireTransaction(), "send(...) outside a transaction is refused by default");
    }

    @Test
    void consumerDefaultsAreTheCoreDefaults() throws Exception {
        ConsumerConfig mapped = ConfigMapper.consumer(required());
        assertSameSettings(ConsumerConfig.builder().name("members").producer("users", "tcp://127.0.0.1:7300").build(),
                mapped);
        assertSameSettings(RetryPolicy.defaults(), mapped.retryPolicy());
    }

    /** A changed default on the properties' side is reported, naming the accessor: the comparison can fail. */
    @Test
    void aDifferentValueIsReportedByItsAccessor() {
        StrongZeroProperties p = required();
        p.getProducer().getPump().setBatchSize(999);
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> assertSameSettings(PumpConfig.builder().name("users").build(), ConfigMapper.pump(p)));
        assertTrue(e.getMessage().contains("batchSize()"), e.getMessage());
    }

    /**
     * Every public no-argument accessor of {@code core}'s class returns an equal value on {@code mapped}; then the
     * objects are equal as a whole.
     */
    private static void assertSameSettings(Object core, Object mapped) throws ReflectiveOperationException {
        List<String> differences = new ArrayList<>();
        Method[] methods = core.getClass().getMethods();
        Arrays.sort(methods, Comparator.comparing(Method::getName));
        int compared = 0;
        for (Method m : methods) {
            if (Modifier.isStatic(m.getModifiers()) || m.getParameterCount() != 0 || m.getDeclaringClass() == Object.class
                    || Set.of("toBuilder", "hashCode", "toString").contains(m.getName())) {
                continue;
            }
            Object expected = m.invoke(core);
            Object actual = m.invoke(mapped);
            compared++;
            if (!Objects.equals(expected, actual)) {
                differences.add(core.getClass().getSimpleName() + "." + m.getName() + "(): core default " + expected
                        + ", from the properties' defaults " + actual);
            }
        }
        assertTrue(compared >= 3, "compared only " + compared + " accessors of " + core.getClass());
        assertTrue(differences.isEmpty(), String.join("\n", differences));
        assertEquals(core, mapped);
    }
}

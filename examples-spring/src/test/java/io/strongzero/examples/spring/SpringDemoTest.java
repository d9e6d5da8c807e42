package io.strongzero.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The demo that {@code -Pdemo} runs, with fewer users. */
class SpringDemoTest {

    @Test
    void theDemoSyncsEveryRegisteredUserOnceAndNotTheRolledBackOne() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = SpringDemo.run(new String[] {"--users", "20"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(status).as(printed + err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(printed).contains("synced 20/20 users, 0 lost, 0 duplicated; the rolled-back registration was not "
                + "delivered").contains("member service /actuator/health: UP");
    }

    @Test
    void aBadArgumentExitsWithStatus2() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = SpringDemo.run(new String[] {"--users", "many"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--users must be a number but was 'many'");
    }
}

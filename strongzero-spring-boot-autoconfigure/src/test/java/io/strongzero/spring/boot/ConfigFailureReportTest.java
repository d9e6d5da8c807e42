package io.strongzero.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

/** A start-up that fails on a StrongZero property ends with Spring Boot's failure report naming the property. */
@ExtendWith(OutputCaptureExtension.class)
class ConfigFailureReportTest {

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
            StrongZeroAutoConfiguration.class})
    static class App {
    }

    @Test
    void anInvalidPropertyIsReportedWithTheCoresMessageAndWhatToDo(CapturedOutput output) {
        assertThatThrownBy(() -> new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .properties("spring.datasource.url=jdbc:h2:mem:report-" + System.nanoTime(),
                        "strongzero.producer.name=orders", "strongzero.producer.bind=tcp://127.0.0.1:0",
                        "strongzero.producer.pump.batch-size=0")
                .run().close());
        assertThat(output.toString())
                .contains("APPLICATION FAILED TO START")
                .contains("StrongZero's configuration is invalid: strongzero.producer.pump.batch-size: ")
                .contains("Correct the strongzero.* property");
    }
}

package io.strongzero.spring.boot.internal;

import io.strongzero.core.StrongZeroConfigException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a start-up that failed on StrongZero's configuration into Spring Boot's "APPLICATION FAILED TO START" report:
 * the core's message (which names the property or setting and the rule) and what to do. Internal API.
 */
public final class ConfigFailureAnalyzer extends AbstractFailureAnalyzer<StrongZeroConfigException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, StrongZeroConfigException cause) {
        return new FailureAnalysis("StrongZero's configuration is invalid: " + cause.getMessage(),
                "Correct the strongzero.* property (or the customizer or bean) named above. Every property, its default "
                        + "and its accepted values are listed in StrongZero's docs/spring-boot.md.", cause);
    }
}

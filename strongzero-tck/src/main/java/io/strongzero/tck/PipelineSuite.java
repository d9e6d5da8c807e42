package io.strongzero.tck;

import io.strongzero.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The base of the contract suites that run on a {@link Pipeline}: each test gets a fresh pipeline on the
 * subclass's database (created before the suite's own {@code @BeforeEach} runs) and it is closed after the test
 * (after the suite's own {@code @AfterEach}). A suite starts the producer and consumers as it needs.
 */
public abstract class PipelineSuite {

    /** The pipeline of the running test. */
    protected Pipeline p;

    /** @return the database this suite runs on: a constant of {@link TestDatabase}, or one it describes */
    protected abstract TestDatabase database();

    @BeforeEach
    void openPipeline() {
        p = new Pipeline(database());
    }

    @AfterEach
    void closePipeline() {
        if (p != null) {
            p.close();
        }
    }
}

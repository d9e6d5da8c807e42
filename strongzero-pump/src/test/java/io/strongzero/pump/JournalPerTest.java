package io.strongzero.pump;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;

/**
 * A fresh H2 journal per test ({@link #journal}), dropped after it, for the pump's test classes; every test has
 * 30 seconds.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
abstract class JournalPerTest {

    /** A poll interval no test waits for: only a wake-up makes these pumps stamp within a test. */
    static final Duration NEVER = Duration.ofSeconds(30);

    TestJournal journal;

    @BeforeEach
    void createJournal() {
        journal = TestJournal.create();
    }

    @AfterEach
    void dropJournal() throws Exception {
        journal.close();
    }
}

package io.strongzero.it.faults;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fault suite plus a restart of the database server under load, for PostgreSQL and MariaDB. H2 is
 * not restarted: {@link FaultDatabase#restartSupported()} says why.
 */
abstract class ServerFaultInjectionContract extends FaultInjectionContract {

    /** Last in the class: it restarts the shared database server. */
    @Test
    @Order(6)
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void databaseRestartedUnderLoadLosesNothingAndOnlyFailedTransactionsRollBack() throws IOException {
        runAndCheck(Scenario.DATABASE_RESTART, 2);
    }
}

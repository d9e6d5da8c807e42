package io.strongzero.it.stores;

import io.strongzero.tck.stores.DeadLetterStoreContract;
import io.strongzero.testing.TestDatabase;

class PostgresDeadLetterStoreTest extends DeadLetterStoreContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}

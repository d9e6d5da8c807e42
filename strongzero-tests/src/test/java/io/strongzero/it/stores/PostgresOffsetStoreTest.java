package io.strongzero.it.stores;

import io.strongzero.tck.stores.OffsetStoreContract;
import io.strongzero.testing.TestDatabase;

class PostgresOffsetStoreTest extends OffsetStoreContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}

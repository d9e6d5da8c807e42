package io.strongzero.it.stores;

import io.strongzero.it.TestDatabase;

class PostgresConsumerRegistryStoreTest extends ConsumerRegistryStoreContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}

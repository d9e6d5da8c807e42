package io.strongzero.it.stores;

import io.strongzero.it.TestDatabase;

class MariaDbConsumerRegistryStoreTest extends ConsumerRegistryStoreContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}

package io.strongzero.it.stores;

import io.strongzero.tck.stores.ConsumerRegistryStoreContract;
import io.strongzero.testing.TestDatabase;

class MariaDbConsumerRegistryStoreTest extends ConsumerRegistryStoreContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}

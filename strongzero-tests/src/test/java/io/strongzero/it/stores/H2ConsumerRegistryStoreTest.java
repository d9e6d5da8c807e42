package io.strongzero.it.stores;

import io.strongzero.it.TestDatabase;

class H2ConsumerRegistryStoreTest extends ConsumerRegistryStoreContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}

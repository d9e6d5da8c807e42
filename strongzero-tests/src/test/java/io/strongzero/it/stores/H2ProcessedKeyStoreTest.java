package io.strongzero.it.stores;

import io.strongzero.tck.stores.ProcessedKeyStoreContract;
import io.strongzero.testing.TestDatabase;

class H2ProcessedKeyStoreTest extends ProcessedKeyStoreContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}

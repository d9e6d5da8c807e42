package io.strongzero.it.stores;

import io.strongzero.tck.stores.OffsetStoreContract;
import io.strongzero.testing.TestDatabase;

class H2OffsetStoreTest extends OffsetStoreContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}

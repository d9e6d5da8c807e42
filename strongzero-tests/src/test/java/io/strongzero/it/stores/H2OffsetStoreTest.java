package io.strongzero.it.stores;

import io.strongzero.it.TestDatabase;

class H2OffsetStoreTest extends OffsetStoreContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}

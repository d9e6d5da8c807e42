package io.strongzero.it.stores;

import io.strongzero.it.TestDatabase;

class H2SchemaStoreTest extends SchemaStoreContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}

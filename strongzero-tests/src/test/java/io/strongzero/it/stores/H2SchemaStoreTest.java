package io.strongzero.it.stores;

import io.strongzero.tck.stores.SchemaStoreContract;
import io.strongzero.testing.TestDatabase;

class H2SchemaStoreTest extends SchemaStoreContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}

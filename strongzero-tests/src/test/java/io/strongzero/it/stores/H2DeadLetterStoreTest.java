package io.strongzero.it.stores;

import io.strongzero.tck.stores.DeadLetterStoreContract;
import io.strongzero.testing.TestDatabase;

class H2DeadLetterStoreTest extends DeadLetterStoreContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}

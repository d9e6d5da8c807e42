package io.strongzero.it.stores;

import io.strongzero.tck.stores.JournalStoreContract;
import io.strongzero.testing.TestDatabase;

class H2JournalStoreTest extends JournalStoreContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}

package io.strongzero.it.stores;

import io.strongzero.testing.TestDatabase;

class H2JournalStoreTest extends JournalStoreContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}

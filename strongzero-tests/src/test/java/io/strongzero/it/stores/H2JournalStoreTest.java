package io.strongzero.it.stores;

import io.strongzero.it.TestDatabase;

class H2JournalStoreTest extends JournalStoreContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}

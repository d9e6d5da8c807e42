package io.strongzero.it.stores;

import io.strongzero.tck.stores.JournalStoreContract;
import io.strongzero.testing.TestDatabase;

class MariaDbJournalStoreTest extends JournalStoreContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}

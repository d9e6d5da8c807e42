package io.strongzero.it.stores;

import io.strongzero.it.TestDatabase;

class PostgresJournalStoreTest extends JournalStoreContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}

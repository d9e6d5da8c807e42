package io.strongzero.it.stores;

import io.strongzero.tck.stores.SequencerStoreContract;
import io.strongzero.testing.TestDatabase;

class PostgresSequencerStoreTest extends SequencerStoreContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}

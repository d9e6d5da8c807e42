package io.strongzero.it.stores;

import io.strongzero.tck.stores.SequencerStoreContract;
import io.strongzero.testing.TestDatabase;

class MariaDbSequencerStoreTest extends SequencerStoreContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}

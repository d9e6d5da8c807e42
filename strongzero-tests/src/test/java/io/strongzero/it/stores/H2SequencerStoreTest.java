package io.strongzero.it.stores;

import io.strongzero.it.TestDatabase;

class H2SequencerStoreTest extends SequencerStoreContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}

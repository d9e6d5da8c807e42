package io.strongzero.it.stores;

import io.strongzero.tck.stores.SequencerStoreContract;
import io.strongzero.testing.TestDatabase;

class H2SequencerStoreTest extends SequencerStoreContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}

package io.strongzero.it;

import io.strongzero.testing.TestDatabase;

class H2StampCommitFailureTest extends StampCommitFailureContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}

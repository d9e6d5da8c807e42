package io.strongzero.it;

import io.strongzero.testing.TestDatabase;

class MariaDbStampCommitFailureTest extends StampCommitFailureContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}

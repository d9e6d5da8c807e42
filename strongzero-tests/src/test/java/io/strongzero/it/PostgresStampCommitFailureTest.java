package io.strongzero.it;

import io.strongzero.testing.TestDatabase;

class PostgresStampCommitFailureTest extends StampCommitFailureContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}

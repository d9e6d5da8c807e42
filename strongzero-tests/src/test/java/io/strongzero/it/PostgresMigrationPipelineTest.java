package io.strongzero.it;

import io.strongzero.tck.MigrationPipelineContract;
import io.strongzero.testing.TestDatabase;

class PostgresMigrationPipelineTest extends MigrationPipelineContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}

package io.strongzero.it;

import io.strongzero.tck.MigrationPipelineContract;
import io.strongzero.testing.TestDatabase;

class MariaDbMigrationPipelineTest extends MigrationPipelineContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}

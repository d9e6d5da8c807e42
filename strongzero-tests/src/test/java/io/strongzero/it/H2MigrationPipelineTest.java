package io.strongzero.it;

import io.strongzero.tck.MigrationPipelineContract;
import io.strongzero.testing.TestDatabase;

class H2MigrationPipelineTest extends MigrationPipelineContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}

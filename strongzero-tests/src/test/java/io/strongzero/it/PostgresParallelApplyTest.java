package io.strongzero.it;

import io.strongzero.tck.ParallelApplyContract;
import io.strongzero.testing.TestDatabase;

class PostgresParallelApplyTest extends ParallelApplyContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}

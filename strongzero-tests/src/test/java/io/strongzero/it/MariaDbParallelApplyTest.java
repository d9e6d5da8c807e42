package io.strongzero.it;

import io.strongzero.tck.ParallelApplyContract;
import io.strongzero.testing.TestDatabase;

class MariaDbParallelApplyTest extends ParallelApplyContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}

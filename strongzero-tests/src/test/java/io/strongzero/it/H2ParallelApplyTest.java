package io.strongzero.it;

import io.strongzero.tck.ParallelApplyContract;
import io.strongzero.testing.TestDatabase;

class H2ParallelApplyTest extends ParallelApplyContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}

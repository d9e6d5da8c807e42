package io.strongzero.it;

import io.strongzero.tck.OperationsContract;
import io.strongzero.testing.TestDatabase;

class H2OperationsTest extends OperationsContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}

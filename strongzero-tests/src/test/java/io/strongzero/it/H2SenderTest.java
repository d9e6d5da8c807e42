package io.strongzero.it;

import io.strongzero.tck.SenderContract;
import io.strongzero.testing.TestDatabase;

class H2SenderTest extends SenderContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}

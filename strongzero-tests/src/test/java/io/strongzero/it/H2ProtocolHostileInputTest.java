package io.strongzero.it;

import io.strongzero.tck.ProtocolHostileInputContract;
import io.strongzero.testing.TestDatabase;

class H2ProtocolHostileInputTest extends ProtocolHostileInputContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}

package io.strongzero.it;

import io.strongzero.tck.ConsumerStateContract;
import io.strongzero.testing.TestDatabase;

class H2ConsumerStateTest extends ConsumerStateContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}

package io.strongzero.it;

import io.strongzero.tck.ConsumerStateContract;
import io.strongzero.testing.TestDatabase;

class MariaDbConsumerStateTest extends ConsumerStateContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}

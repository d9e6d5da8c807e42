package io.strongzero.it;

import io.strongzero.tck.ConsumerStateContract;
import io.strongzero.testing.TestDatabase;

class PostgresConsumerStateTest extends ConsumerStateContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}

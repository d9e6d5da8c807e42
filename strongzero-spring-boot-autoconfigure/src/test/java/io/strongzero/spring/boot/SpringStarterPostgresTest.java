package io.strongzero.spring.boot;

import io.strongzero.testing.TestDatabase;

class SpringStarterPostgresTest extends SpringStarterContract {
    @Override
    Database database() {
        return Database.on(TestDatabase.POSTGRESQL);
    }
}

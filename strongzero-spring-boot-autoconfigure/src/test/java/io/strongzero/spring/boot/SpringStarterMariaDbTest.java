package io.strongzero.spring.boot;

import io.strongzero.testing.TestDatabase;

class SpringStarterMariaDbTest extends SpringStarterContract {
    @Override
    Database database() {
        return Database.on(TestDatabase.MARIADB);
    }
}

package io.strongzero.it;

import io.strongzero.tck.KeysAndHeadersContract;
import io.strongzero.testing.TestDatabase;

class PostgresKeysAndHeadersTest extends KeysAndHeadersContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}

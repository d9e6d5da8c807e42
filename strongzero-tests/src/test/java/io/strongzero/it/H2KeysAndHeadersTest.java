package io.strongzero.it;

import io.strongzero.tck.KeysAndHeadersContract;
import io.strongzero.testing.TestDatabase;

class H2KeysAndHeadersTest extends KeysAndHeadersContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}

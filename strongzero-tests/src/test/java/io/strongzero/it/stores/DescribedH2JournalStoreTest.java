package io.strongzero.it.stores;

import io.strongzero.core.Dialect;
import io.strongzero.tck.stores.JournalStoreContract;
import io.strongzero.testing.TestDatabase;

/**
 * What a new dialect's test looks like, compiled and run (docs/testing.md shows it): a database the kit does not
 * know, described through {@link TestDatabase#server}, and one subclass of a strongzero-tck suite that runs on it.
 * H2, described as a server with a schema per instance, stands for the new database.
 */
// tag::new-dialect[]
class DescribedH2JournalStoreTest extends JournalStoreContract {

    /** The server the suite runs on: its admin URL, how to make and drop an isolated schema, and how to reach one. */
    static final TestDatabase H2_SERVER = TestDatabase.server("H2_SERVER", Dialect.H2)
            .url("jdbc:h2:mem:tck_server;DB_CLOSE_DELAY=-1")
            .createSchema("CREATE SCHEMA {schema}")
            .dropSchema("DROP SCHEMA IF EXISTS {schema} CASCADE")
            .schemaUrl("jdbc:h2:mem:tck_server;DB_CLOSE_DELAY=-1;SCHEMA={schema}")
            .driver("com.h2database:h2")
            .build();

    @Override
    protected TestDatabase database() {
        return H2_SERVER;
    }
}
// end::new-dialect[]

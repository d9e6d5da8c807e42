package io.strongzero.examples.spring.standin;

import io.strongzero.testing.ForwardingDataSource;
import javax.sql.DataSource;

/** Stand-in for {@code org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy}: delegates only. */
public class TransactionAwareDataSourceProxy extends ForwardingDataSource {

    public TransactionAwareDataSourceProxy(DataSource target) {
        super(target);
    }
}

/**
 * StrongZero's dialect compatibility kit: the abstract JUnit 5 suites that StrongZero runs on H2, PostgreSQL and
 * MariaDB, for a new {@link io.strongzero.core.Dialect} to run on its database. Each suite is an abstract class
 * with one abstract method, {@code database()}; a subclass returns a {@link io.strongzero.testing.TestDatabase}
 * (a built-in constant, or a server described with {@link io.strongzero.testing.TestDatabase#server}) and gets
 * every test of the suite:
 *
 * <ul>
 *   <li>{@link io.strongzero.tck.PipelineContract}: the end-to-end guarantees (nothing skipped or duplicated under
 *       out-of-order commits, long transactions, skewed clocks, two pumps, restarts and a killed consumer
 *       process);</li>
 *   <li>{@link io.strongzero.tck.SenderContract}: the sender and the caller's transaction;</li>
 *   <li>{@link io.strongzero.tck.ReliabilityContract}: retries, dead letters, the block policy, the idempotency
 *       guard, batches and handler timeouts;</li>
 *   <li>{@link io.strongzero.tck.OperationsContract}: health, lag, retention, throttling and metrics;</li>
 *   <li>{@link io.strongzero.tck.ConsumerPolicyContract}: unknown types, failing handlers, transaction modes and
 *       concurrent instances;</li>
 *   <li>{@link io.strongzero.tck.ConsumerStateContract}: consumer names nobody vouched for, and idle consumers;</li>
 *   <li>{@link io.strongzero.tck.ProtocolHostileInputContract}: the producer against hostile wire traffic;</li>
 *   <li>the store suites of {@link io.strongzero.tck.stores}, one per SQL store.</li>
 * </ul>
 *
 * The suites need the JDBC driver of the database on the test class path, and {@code org.slf4j:slf4j-simple} as
 * the logging binding ({@link io.strongzero.tck.ConsumerStateContract} reads the warnings it writes to
 * {@code System.err}). {@link io.strongzero.tck.Pipeline}, {@link io.strongzero.tck.LogCapture} and
 * {@link io.strongzero.tck.RawDealer} are the suites' helpers, public for other tests too.
 */
package io.strongzero.tck;

/**
 * Runnable examples (not published): the user-replication pair ({@link io.strongzero.examples.UserProducerApp},
 * {@link io.strongzero.examples.MemberConsumerApp}, {@link io.strongzero.examples.UserSyncDemo}), and the code the
 * documentation shows ({@link io.strongzero.examples.OrderProjection},
 * {@link io.strongzero.examples.TransactionExamples}, {@link io.strongzero.examples.SimpleTransactions},
 * {@link io.strongzero.examples.SchemaExamples}). Regions between {@code tag::name[]} and {@code end::name[]}
 * comments are quoted in README.md and docs/*.md, which a test keeps equal to them. The saga example is in
 * {@link io.strongzero.examples.saga}.
 */
package io.strongzero.examples;

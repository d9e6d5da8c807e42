/**
 * One abstract suite per SQL store of StrongZero, run on a real database with the dialect's shipped DDL: the
 * journal ({@link io.strongzero.tck.stores.JournalStoreContract}), the sequencer
 * ({@link io.strongzero.tck.stores.SequencerStoreContract}), the schema probe
 * ({@link io.strongzero.tck.stores.SchemaStoreContract}), the consumer registry
 * ({@link io.strongzero.tck.stores.ConsumerRegistryStoreContract}), the offsets
 * ({@link io.strongzero.tck.stores.OffsetStoreContract}), the dead letters
 * ({@link io.strongzero.tck.stores.DeadLetterStoreContract}) and the processed keys
 * ({@link io.strongzero.tck.stores.ProcessedKeyStoreContract}). A new dialect's statements are checked here one
 * store at a time, before the end-to-end suites of {@link io.strongzero.tck} run them together.
 */
package io.strongzero.tck.stores;

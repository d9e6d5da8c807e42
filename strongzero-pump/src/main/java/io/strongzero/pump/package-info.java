/**
 * The pump: the sequencer that gives committed journal rows dense, increasing positions, so consumers
 * can resume after a position without ever skipping a row that committed late. See
 * {@link io.strongzero.pump.StrongZeroPump}.
 */
package io.strongzero.pump;

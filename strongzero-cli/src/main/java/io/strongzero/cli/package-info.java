/**
 * The StrongZero admin command line ({@link io.strongzero.cli.StrongZeroCli}): journal status and lag,
 * consumer registration, retention, dead letters and DDL. Everything but the entry point is internal.
 */
package io.strongzero.cli;

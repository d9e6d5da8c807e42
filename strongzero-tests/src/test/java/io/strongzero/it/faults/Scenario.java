package io.strongzero.it.faults;

/**
 * The faults the driver injects, one kind per scenario, several times (rounds) under continuous load.
 * Each round picks its moment and variant from the run's seed. See docs/reliability.md.
 */
enum Scenario {
    /** kill -9 of the producer app (pump, producer, writer) and restart; every other round while its pump holds the sequencer lock. */
    PRODUCER_KILL("producer kill -9"),
    /** kill -9 of the consumer app and restart: at a random moment, inside a batch, just before and just after commit. */
    CONSUMER_KILL("consumer kill -9"),
    /** the consumer reaches the producer through {@link TcpProxy}: stalled, cut (reset and refused), or reset once. */
    NETWORK("network stall / cut"),
    /** two producer apps on one journal, clocks stepped by up to ±2 min; the one serving the consumer is killed. */
    TWO_PRODUCERS("2 producers: clock steps, kill -9 one"),
    /** restart of the database server under load (the journal's and the consumer's, which share the server). */
    DATABASE_RESTART("database restart"),
    /**
     * kill -9 of a consumer applying two keyed streams in parallel lanes, restarted with another concurrency each round
     * (8, 3, 16); see {@link LaneKillRun}.
     */
    LANES_CONSUMER_KILL("consumer kill -9, parallel apply (8/3/16 lanes)");

    final String title;

    Scenario(String title) {
        this.title = title;
    }
}

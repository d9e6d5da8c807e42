/**
 * StrongZero's pump: sequences committed journal rows into positions and administers the journal
 * ({@link io.strongzero.pump.StrongZeroPump}, {@link io.strongzero.pump.JournalAdmin}).
 * {@code io.strongzero.pump.internal} is shared with the producer and the TCK only.
 */
// "module": the qualified export names modules that are not observable while the pump compiles.
// "requires-automatic": pgjdbc (org.postgresql.jdbc, 42.7.x) is an automatic module (Automatic-Module-Name in its
// manifest, no module-info), required only statically for head notifications.
@SuppressWarnings({"module", "requires-automatic"})
module io.strongzero.pump {
    requires transitive io.strongzero.core;
    requires org.slf4j;
    requires org.zeromq.jeromq;
    // optional: head notifications on PostgreSQL (PGConnection#getNotifications); without it the pump polls
    requires static org.postgresql.jdbc;

    exports io.strongzero.pump;
    exports io.strongzero.pump.internal to
            io.strongzero.producer,
            io.strongzero.tck;
}

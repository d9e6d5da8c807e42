package io.strongzero.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;

/** CPU used by the child JVMs and (PostgreSQL) this run's database backends between two points. */
final class CpuMeter {
    private final BenchDatabase db;
    private final ChildJvm prod;
    private final ChildJvm cons;
    private final Duration prod0;
    private final Duration cons0;
    private final long db0;
    private final JsonNode prodThreads0;
    private final JsonNode consThreads0;

    CpuMeter(ChildJvm prod, ChildJvm cons, BenchDatabase db) {
        this.db = db;
        this.prod = prod;
        this.cons = cons;
        this.prodThreads0 = prod.call("cpu", Duration.ofSeconds(30));
        this.consThreads0 = cons.call("cpu", Duration.ofSeconds(30));
        this.prod0 = prod.cpu();
        this.cons0 = cons.cpu();
        this.db0 = db.serverCpuNanos();
    }

    ObjectNode perMessageMicros(long messages) {
        ObjectNode n = Json.object();
        n.put("producer_jvm", Json.round(prod.cpu().minus(prod0).toNanos() / 1e3 / messages, 1));
        n.put("consumer_jvm", Json.round(cons.cpu().minus(cons0).toNanos() / 1e3 / messages, 1));
        long db1 = db.serverCpuNanos();
        if (db0 >= 0 && db1 >= 0) {
            n.put("db_backends", Json.round((db1 - db0) / 1e3 / messages, 1));
        }
        n.set("producer_jvm_threads", ThreadCpu.perMessageMicros(prodThreads0, prod.call("cpu", Duration.ofSeconds(30)), messages));
        n.set("consumer_jvm_threads", ThreadCpu.perMessageMicros(consThreads0, cons.call("cpu", Duration.ofSeconds(30)), messages));
        return n;
    }
}

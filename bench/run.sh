#!/usr/bin/env bash
# Runs the StrongZero benchmark (GitHub issue 6) on one database and writes
# bench/results/<db>-<profile>.json, .md and .png. Producer and consumer run in child JVMs connected
# over loopback TCP; see docs/benchmarks.md.
#
# Usage: bench/run.sh <h2|postgresql|mariadb> [quick|full|tiny] [extra BenchMain options, e.g. --only latency --jfr DIR]
#        (scenarios: throughput, latency, sweep, two_instances, catchup, fanout, parallel_apply; all by default; the sweep also
#        writes <db>-<profile>-sweep.png)
#        bench/run.sh <h2|postgresql|mariadb> stages [--rows N]   (StageProbe: each stage timed on its own)
#
# PostgreSQL is expected on 127.0.0.1:5432 (user postgres, database test) and MariaDB on 127.0.0.1:3306
# (user root, database test), as for the tests; override with BENCH_JAVA_OPTS="-Dstrongzero.pg.url=...".
set -euo pipefail

cd "$(dirname "$0")/.."

if [ $# -lt 1 ]; then
    echo "usage: bench/run.sh <h2|postgresql|mariadb> [quick|full|tiny] [BenchMain options]" >&2
    exit 64
fi
db=$1
profile=${2:-quick}
shift $(( $# >= 2 ? 2 : 1 ))

case "$db" in h2|postgresql|mariadb) ;; *) echo "bench: database must be h2, postgresql or mariadb, not '$db'" >&2; exit 64;; esac
case "$profile" in tiny|quick|full|stages) ;; *) echo "bench: profile must be quick, full, tiny or stages, not '$profile'" >&2; exit 64;; esac

echo "bench: building strongzero-bench and the modules it needs"
mvn -B -q -pl strongzero-bench -am -DskipTests package dependency:build-classpath \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=runtime </dev/null

classpath="strongzero-bench/target/classes:$(cat strongzero-bench/target/bench.classpath)"
git_commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if ! git diff --quiet HEAD -- . ':!bench/results' ':!docs' 2>/dev/null; then
    git_commit="$git_commit+changes"
fi

if [ "$profile" = stages ]; then
    exec java -Xmx512m ${BENCH_JAVA_OPTS:-} -Dbench.git="$git_commit" -cp "$classpath" \
        io.strongzero.bench.StageProbe --db "$db" --out bench/results "$@"
fi

# The orchestrating JVM only waits for its children; they get their own heap settings.
exec java -Xmx256m ${BENCH_JAVA_OPTS:-} -Dbench.git="$git_commit" -cp "$classpath" \
    io.strongzero.bench.BenchMain --db "$db" --profile "$profile" --out bench/results "$@"

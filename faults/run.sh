#!/usr/bin/env bash
# The long variant of the fault-injection suite (GitHub issue 7): producer and consumer apps in their own
# JVMs under continuous load; kill -9, network stalls and cuts, clock steps with a second producer, and
# database restarts, many rounds each; then the check that the consumer's data equals the producer's
# committed data, and the report table. See docs/reliability.md.
#
# Usage: faults/run.sh [--db=postgresql,mariadb,h2] [--rounds=200] [--scenarios=all|producer_kill,consumer_kill,
#                      network,two_producers,database_restart,lanes_consumer_kill] [--seed=N] [--logs=target/faults]
#
# It restarts the database servers (PostgreSQL: pg_ctlcluster ... main restart; MariaDB: mariadb-admin shutdown
# and start-stop-daemon) and so needs root and servers no one else is using at the time. Other servers:
# FAULTS_JAVA_OPTS="-Dstrongzero.pg.url=... -Dstrongzero.faults.pg.restart='...' ..." (see FaultDatabase).
set -euo pipefail

cd "$(dirname "$0")/.."

echo "faults: building strongzero-tests and the modules it needs"
mvn -B -q -pl strongzero-tests -am -DskipTests package dependency:build-classpath \
    -Dmdep.outputFile=target/faults.classpath -Dmdep.includeScope=test </dev/null

classpath="strongzero-tests/target/test-classes:strongzero-tests/target/classes:$(cat strongzero-tests/target/faults.classpath)"

# The driver JVM only orchestrates; the apps get their own small heaps.
eval "exec java -Xmx512m ${FAULTS_JAVA_OPTS:-} -cp \"\$classpath\" io.strongzero.it.faults.FaultRun \"\$@\""

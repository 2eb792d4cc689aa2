#!/usr/bin/env bash
# JMH: the agent ticket list on 100,000 tickets (embedded H2 built by the real migrations), scoped to one of ten
# organisations beside single-tenant mode (every ticket in organisation 0), four query shapes (first page by
# creation, open by priority, page 200, one queue; 25 per page). Average milliseconds per list in
# itests/target/bench/ticket-list-orgs.txt. Not part of the test suite; takes about five minutes.
#   itests/bench/ticket-list-orgs.sh            TICKETS=20000 itests/bench/ticket-list-orgs.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
out=itests/target/bench
mkdir -p "$out"
mvn -q -B -o ${MAVEN_REPO:+-Dmaven.repo.local=$MAVEN_REPO} -pl bundles/tickets test-compile \
    dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cp=bundles/tickets/target/test-classes:bundles/tickets/target/classes:$(cat bundles/tickets/target/bench.classpath)
java -cp "$cp" org.openjdk.jmh.Main TicketListOrgsBenchmark -p tickets="${TICKETS:-100000}" \
    -rf text -rff "$out/ticket-list-orgs.txt" | tee "$out/ticket-list-orgs.log"

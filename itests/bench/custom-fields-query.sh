#!/usr/bin/env bash
# JMH: custom_fields_query on 100,000 tickets with 20 custom fields each (2 million value rows, embedded H2), five
# query shapes (eq, date range + select, near 10 km, like, first 1000 of everything). Average milliseconds per query
# in itests/target/bench/custom-fields-query.txt. Not part of the test suite; takes about three minutes.
#   itests/bench/custom-fields-query.sh            TICKETS=20000 itests/bench/custom-fields-query.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
out=itests/target/bench
mkdir -p "$out"
mvn -q -B -o ${MAVEN_REPO:+-Dmaven.repo.local=$MAVEN_REPO} -pl bundles/customfields test-compile \
    dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cp=bundles/customfields/target/test-classes:bundles/customfields/target/classes:$(cat bundles/customfields/target/bench.classpath)
java -cp "$cp" org.openjdk.jmh.Main CustomFieldQueryBenchmark -p tickets="${TICKETS:-100000}" \
    -rf text -rff "$out/custom-fields-query.txt" | tee "$out/custom-fields-query.log"

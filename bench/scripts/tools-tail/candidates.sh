#!/usr/bin/env bash
# candidates.sh ROUND: the broker collector candidates, one fresh Tributary broker each, interleaved (run under the bench lock)
cd "$(dirname "$0")"
R=$1
export PORT=41791 WARM=300000
./run.sh tributary c-base-$R 200000 5000 0 driver -Xms256m -Xmx1g -XX:+UseG1GC
./run.sh tributary c-g1p1-$R 200000 5000 0 driver -Xms256m -Xmx1g -XX:+UseG1GC -XX:ParallelGCThreads=1 -XX:ConcGCThreads=1
./run.sh tributary c-shen-$R 200000 5000 0 driver -Xms256m -Xmx1g -XX:+UseShenandoahGC
./run.sh tributary c-zgc-$R 200000 5000 0 driver -Xms256m -Xmx1g -XX:+UseZGC

#!/usr/bin/env bash
# A class-data-sharing archive for a server jar, made as bin/tributary makes its own (a training run: a broker on a
# scratch directory and ephemeral ports, stopped with SIGTERM once started; -XX:ArchiveClassesAtExit dumps at exit):
#   bench/scripts/cds-archive.sh JAR ARCHIVE
# then measure with: bench/scripts/startup-time.sh JAR JAR,-XX:SharedArchiveFile=ARCHIVE,-Xshare:auto
# JAR must be given by the same path to both (the archive records the class path).
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 JAR ARCHIVE" >&2; exit 2; }
JAR=$1; ARCHIVE=$2
SCRATCH=$(mktemp -d /tmp/cds-archive.XXXXXX)
trap 'rm -rf "$SCRATCH"' EXIT
java -XX:ArchiveClassesAtExit="$SCRATCH/out.jsa" -jar "$JAR" --override log.dirs="$SCRATCH/data" \
  --override listeners=PLAINTEXT://127.0.0.1:0 --override metrics.listener= > "$SCRATCH/training.log" 2>&1 &
PID=$!
for _ in $(seq 1 1200); do
  grep -q 'started in' "$SCRATCH/training.log" && break
  kill -0 $PID 2>/dev/null || break
  sleep 0.1
done
kill -TERM $PID 2>/dev/null || true
wait $PID 2>/dev/null || true
grep -q 'started in' "$SCRATCH/training.log" || { echo "the training broker did not start:" >&2; tail -20 "$SCRATCH/training.log" >&2; exit 1; }
mv -f "$SCRATCH/out.jsa" "$ARCHIVE"
echo "$ARCHIVE: $(du -h "$ARCHIVE" | cut -f1)"

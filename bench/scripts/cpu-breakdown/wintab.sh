#!/usr/bin/env bash
# bench/scripts/cpu-breakdown/wintab.sh OUT_DIR: the markdown table of a suite.sh run, a row per window: the broker's user and
# system seconds, then user + system seconds by thread group (JIT compiler threads, Netty event loops, the fetch purgatory's
# timer, metadata/Ratis/timer threads, GC, the rest) and its read and write syscalls (sendfile counts in both).
OUT=$1; HZ=$(getconf CLK_TCK)
row() {
  local name=$1 a=$2 b=$3
  local g=$(join -a2 -e 0 -o 0,2.2,1.3,1.4,2.3,2.4 <(sort $OUT/snap-$a.txt) <(sort $OUT/snap-$b.txt) | awk -v hz=$HZ '{n=$2; if (n ~ /Compiler/) n="JIT"; else if (n ~ /multiThreadIoEv/) n="ev"; else if (n ~ /GC_|G1_/) n="GC"; else if (n ~ /expiry/) n="fx"; else if (n ~ /group-|JvmPause|controller|metadata|broker-heart|replica-man/) n="md"; else n="other"; T[n]+=($5-$3+$6-$4)/hz} END {printf "%.2f | %.2f | %.2f | %.2f | %.2f | %.2f", T["JIT"], T["ev"], T["fx"], T["md"], T["GC"], T["other"]}')
  local p=$(paste $OUT/proc-$a.txt $OUT/proc-$b.txt | awk -v hz=$HZ '{printf "%.2f | %.2f", ($3-$1)/hz, ($4-$2)/hz}')
  local io=$(paste $OUT/io-$a.txt $OUT/io-$b.txt | awk '{v[NR]=$4-$2} END {printf "%d | %d", v[1], v[2]}')
  echo "| $name | $p | $g | $io |"
}
echo "| window | user s | sys s | JIT | event loops | fetch-expiry | metadata, Ratis, timers | GC | other | read syscalls | write syscalls |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
row idle-20s idle0 idle1
while read -r name a b; do row $name $name-0 $name-1; done < $OUT/windows.txt
row "whole run after idle" idle1 end

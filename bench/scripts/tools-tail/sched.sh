# sched.sh PID -> prints "cpu_ms wait_ms" summed over the process's threads (from /proc/PID/task/*/schedstat)
cat /proc/$1/task/*/schedstat 2>/dev/null | awk '{c+=$1; w+=$2} END {printf "%.0f %.0f\n", c/1e6, w/1e6}'

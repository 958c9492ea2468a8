# watch.sh PID OUT: samples the tool's threads' cpu/wait until it exits (last line = totals before exit)
while kill -0 $1 2>/dev/null; do bash "$(dirname "$0")/sched.sh" $1 >> $2; sleep 0.2; done

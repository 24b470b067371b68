#!/bin/sh
# investigate_cases.sh - run by investigate_unknown.sql (.system): each
# investigate script in its own sqlite3 process (the error ends it), with
# an address or an interface that is not in tests/shell/investigate_host.log:
# it says so and the exit status is 1. Then vpcflow-hunt --investigate.
so=${VPCFLOW_SO:-./vpcflow.so}
run(){ # script, @ip
  echo "-- $1 $2"
  sqlite3 -batch :memory: -cmd ".load $so" \
    -cmd "CREATE VIRTUAL TABLE temp.flows USING vpcflow('tests/shell/investigate_host.log')" \
    -cmd ".parameter set @ip $2" < "sql/investigate/$1.sql" 2>&1
  echo "exit status $?"
}
run timeline 10.9.9.9
run peers eni-zzz
run hourly 10.0.0.6
echo "-- vpcflow-hunt --investigate 10.9.9.9"
sh sql/vpcflow-hunt.sh --extension "$so" -f list --investigate 10.9.9.9 tests/shell/investigate_host.log 2>&1
echo "exit status $?"
echo "-- vpcflow-hunt --peers eni-aaa -f list"
sh sql/vpcflow-hunt.sh --extension "$so" -f list --peers eni-aaa tests/shell/investigate_host.log 2>&1 | head -2
echo "-- vpcflow-hunt --investigate 'x;y'"
sh sql/vpcflow-hunt.sh --extension "$so" --investigate 'x;y' tests/shell/investigate_host.log 2>&1
echo "exit status $?"

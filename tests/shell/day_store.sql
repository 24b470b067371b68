-- The prepared day in its temporary file (ext/day_store.c) gives the hunt
-- the same findings as the day in memory, and a file that cannot grow is
-- an error naming its directory (tests/shell/day_store.sh says how).
.system env VPCFLOW_CHILD_PRELOAD="$LD_PRELOAD" LD_PRELOAD= sh tests/shell/day_store.sh run
.system sh tests/shell/day_store.sh clean

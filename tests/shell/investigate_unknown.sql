-- An address or interface not in the logs: said, exit status 1 (each run
-- in its own process by tests/shell/investigate_cases.sh).
.system env -u LD_PRELOAD sh tests/shell/investigate_cases.sh

-- sql/alert.sql's exit status (0 quiet, 1 error, 2 findings, 3 no traffic)
-- and the investigate scripts' stop at the first error: each case needs its
-- own sqlite3 process (.exit ends it), so tests/shell/alert_cases.sh runs
-- them; see there for the hand-written findings the statuses follow from.
.system env -u LD_PRELOAD sh tests/shell/alert_cases.sh

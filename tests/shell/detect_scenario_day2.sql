-- As detect_scenario.sql on the second scenario day (fixtures/scenario/day2:
-- the same generator with another date, VPC, subnets, addresses, peers,
-- seed, volumes and attack times), v5 format: every detection's top finding
-- is an injected attack, no look-alike in its top 3, none in the hunt's top
-- 20, every detection's attack in the top 40. Expectations come from
-- fixtures/scenario/day2/truth.tsv, never from query output.
CREATE VIRTUAL TABLE temp.flows USING vpcflow('fixtures/scenario/day2/v5');
.read fixtures/scenario/day2/context.sql
.mode tabs
.import --schema temp fixtures/scenario/day2/truth.tsv truth
.mode list
.read tests/shell/detect_match.inc

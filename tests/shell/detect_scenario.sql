-- Every detection on the v5 scenario (tests/scenario/gen.py): its top
-- finding is an injected attack and no benign look-alike is in its top 3;
-- in the hunt's top 20 there is no look-alike at all and every detection's
-- attack is in the top 40.
-- Expectations come from fixtures/scenario/truth.tsv (what the generator
-- injected), never from query output.
CREATE VIRTUAL TABLE temp.flows USING vpcflow('fixtures/scenario/v5');
.read fixtures/scenario/context.sql
.mode tabs
.import --schema temp fixtures/scenario/truth.tsv truth
.mode list
.read tests/shell/detect_match.inc

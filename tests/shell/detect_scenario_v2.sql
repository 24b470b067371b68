-- The same scenario in the default 14-field v2 format (no pkt-*, tcp-flags,
-- flow-direction or AWS-service fields): every detection still runs, NAT
-- copies and both-ENI duplicates are still recognised from the data alone,
-- and each detection's attack still ranks first. What v2 cannot know, and
-- the expectation records: SSM agents polling AWS every 900 s are beacons
-- (demoted as a fleet, they still fill beaconing's places 2 and 3), and S3
-- backups through the gateway endpoint look like uploads to the internet
-- (exfiltration's place 3; no longer in the hunt's top 20 since the
-- completed-connection flood's finding takes a place above it).
CREATE VIRTUAL TABLE temp.flows USING vpcflow('fixtures/scenario/v2');
.read fixtures/scenario/context.sql
.mode tabs
.import --schema temp fixtures/scenario/truth.tsv truth
.mode list
.read tests/shell/detect_match.inc

-- sql/investigate/peers.sql and hourly.sql over tests/shell/investigate_host.log
-- (tests/shell/investigate_host.txt lists every record), asked by the interface id: the
-- peers biggest first with the cut said, then bytes per hour.
CREATE VIRTUAL TABLE temp.flows USING vpcflow('tests/shell/investigate_host.log');
.mode list
.headers on
.parameter set @ip eni-aaa
.parameter set @limit 2
.read sql/investigate/peers.sql
.print -- hourly
.read sql/investigate/hourly.sql

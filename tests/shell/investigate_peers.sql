-- sql/investigate/peers.sql and hourly.sql over fixtures/investigate/host.log
-- (its README entry lists every record), asked by the interface id: the
-- peers biggest first with the cut said, then bytes per hour.
CREATE VIRTUAL TABLE temp.flows USING vpcflow('fixtures/investigate/host.log');
.mode list
.headers on
.parameter set @ip eni-aaa
.parameter set @limit 2
.read sql/investigate/peers.sql
.print -- hourly
.read sql/investigate/hourly.sql

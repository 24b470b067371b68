-- sql/investigate/timeline.sql over tests/shell/investigate_host.log
-- (investigate_host.txt lists every record): the summary tables first, the scan of
-- 30 ports as one row, the cut said. Asked by address, then by its ENI.
CREATE VIRTUAL TABLE temp.flows USING vpcflow('tests/shell/investigate_host.log');
.mode list
.headers on
.parameter set @ip 10.0.0.5
.parameter set @limit 3
.read sql/investigate/timeline.sql
.print -- by interface, no limit
.parameter set @ip eni-aaa
.parameter unset @limit
.read sql/investigate/timeline.sql

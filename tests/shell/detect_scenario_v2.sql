-- The same scenario in the default 14-field v2 format (no pkt-*, tcp-flags,
-- flow-direction or AWS-service fields): every detection still runs, NAT
-- copies and both-ENI duplicates are still recognised from the data alone,
-- and each detection's attack still ranks first. What v2 cannot know, and
-- the expectation records: SSM agents polling AWS every 900 s are beacons
-- (beaconing's top is an AWS endpoint), and S3 backups through the gateway
-- endpoint look like uploads to the internet.
CREATE VIRTUAL TABLE temp.flows USING vpcflow('fixtures/scenario/v2');
.read fixtures/scenario/context.sql
.output /dev/null
.read sql/hunt.sql
.output stdout
.mode tabs
.import --schema temp fixtures/scenario/truth.tsv truth
.mode list
CREATE TEMP VIEW ranked AS
  SELECT f.*, row_number() OVER (PARTITION BY detection ORDER BY score DESC, src, dst) AS k,
         row_number() OVER (ORDER BY score DESC, detection, src, dst) AS g
    FROM findings AS f;
CREATE TEMP VIEW matched AS
  SELECT r.detection, r.k, r.g, r.severity, t.kind
    FROM ranked AS r JOIN truth AS t ON t.detection = r.detection
   WHERE (t.src = '' OR t.src = r.src OR (instr(t.src, '/') > 0 AND r.src NOT LIKE 'eni-%'
          AND ip_in_cidr(r.src, t.src)))
     AND (t.dst = '' OR t.dst = r.dst OR (instr(t.dst, '/') > 0 AND ip_in_cidr(r.dst, t.dst)))
     AND (t.port = '' OR t.port = CAST(r.port AS TEXT));
SELECT d.detection,
       CASE WHEN EXISTS (SELECT 1 FROM matched AS m WHERE m.detection = d.detection AND m.k = 1
                          AND m.kind = 'attack') THEN 'attack first' ELSE 'MISSED' END,
       (SELECT count(*) FROM matched AS m WHERE m.detection = d.detection AND m.k <= 3
           AND m.kind = 'lookalike' AND m.severity <> 'low') || ' look-alikes above low in top 3'
  FROM (SELECT DISTINCT detection FROM truth WHERE kind = 'attack') AS d ORDER BY 1;
SELECT 'hunt top ' || (SELECT value FROM tunables WHERE name = 'hunt.max_rows') || ': ' ||
       (SELECT count(DISTINCT detection) FROM matched WHERE kind = 'attack' AND k = 1
          AND g <= (SELECT value FROM tunables WHERE name = 'hunt.max_rows')) || ' of ' ||
       (SELECT count(DISTINCT detection) FROM truth WHERE kind = 'attack') || ' detections'' attacks';
SELECT 'hunt top 20 look-alikes: ' || (SELECT count(*) FROM matched WHERE kind = 'lookalike' AND g <= 20);

-- user_tables.sql (Athena) - the user tables two detections read, as
-- empty views: ioc (threat_list_match) and zones + allowed
-- (trust_boundary). Locally these are TEMP tables the user creates before
-- the hunt (sql/prepare.sql (6)); here replace a view by your own data,
-- for example:
--
--   CREATE OR REPLACE VIEW ioc AS
--   SELECT * FROM (VALUES ('203.0.113.0/24', 'scanner list'),
--                         ('198.51.100.7', 'C2 from report X')) AS t (addr, note);
--
--   CREATE OR REPLACE VIEW zones AS
--   SELECT * FROM (VALUES ('10.0.1.0/24', 'web'), ('10.0.2.0/24', 'db')) AS t (cidr, zone);
--   CREATE OR REPLACE VIEW allowed AS
--   SELECT * FROM (VALUES ('web', 'db', 5432)) AS t (src_zone, dst_zone, port);
--
-- ('*' = any zone, port NULL = any port.) A CIDR must name its network
-- address (10.0.0.0/8, not 10.1.2.3/8): the local ip_in_cidr() ignores
-- host bits, Trino's contains() is not documented to.
--
-- HOW TO RUN  Run each statement once (after prepare.sql's views), or your
-- own versions of them. With the empty views the two detections return no
-- rows; locally they print a note saying the table is missing.

CREATE OR REPLACE VIEW ioc AS
SELECT CAST(NULL AS varchar) AS addr, CAST(NULL AS varchar) AS note WHERE false;

CREATE OR REPLACE VIEW zones AS
SELECT CAST(NULL AS varchar) AS cidr, CAST(NULL AS varchar) AS zone WHERE false;

CREATE OR REPLACE VIEW allowed AS
SELECT CAST(NULL AS varchar) AS src_zone, CAST(NULL AS varchar) AS dst_zone,
       CAST(NULL AS integer) AS port WHERE false;

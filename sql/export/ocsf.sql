-- export/ocsf.sql - the hunt's findings as OCSF Detection Findings
-- (class_uid 2004, OCSF schema 1.1.0), one JSON object per line, for
-- Amazon Security Lake and the SIEMs that read OCSF.
--
-- Usage (from the repository root; or vpcflow-hunt -f ocsf DIR):
--   sqlite3 :memory: -cmd '.load ./vpcflow' \
--     -cmd "CREATE VIRTUAL TABLE temp.flows USING vpcflow('AWSLogs/')" \
--     < sql/export/ocsf.sql > findings.ocsf.jsonl
--
-- Each line validates against tests/ocsf/detection_finding-1.1.0.schema.json
-- (tests/ocsf/README.md: the subset of the OCSF 1.1.0 schema it checks,
-- and where it comes from). The mapping:
--   class_uid 2004 Detection Finding, category_uid 2 Findings,
--   activity_id 1 Create, type_uid 200401
--   severity_id   low 2, medium 3, high 4, critical 5 (OCSF's ids)
--   time          first_seen, epoch milliseconds
--   status_id     1 New
--   risk_score    the hunt's score (0-100), rounded
--   message, finding_info.desc    the evidence
--   finding_info  uid (detection:src:dst:port:first_seen, stable across
--                 runs over the same logs), title, types [detection],
--                 first_seen_time, last_seen_time, analytic (the
--                 detection, type Rule), attacks [technique, tactic]
--   cloud         provider AWS, account.uid (where the logs have it)
--   evidences[0]  src_endpoint / dst_endpoint (ip, port on the dst,
--                 interface_uid of the first record's first ENI),
--                 connection_info (protocol_num, protocol_name,
--                 direction_id: 1 inbound, 2 outbound, 3 lateral)
--   unmapped      vpc_id, interface_ids, first_record, investigate
-- Keys whose value would be null are left out (json_patch onto {} drops
-- them: OCSF types an attribute, null is not of that type).
-- An ENI finding (log_coverage) has no endpoint: the ENI is in
-- evidences[0].src_endpoint.interface_uid.
.read sql/export/common.sql
.mode list
.headers off
WITH f AS (
  SELECT e.*, a.name AS technique_name, a.tactic,
         CAST(strftime('%s', first_seen) AS INTEGER) * 1000 AS t0,
         CAST(strftime('%s', coalesce(last_seen, first_seen)) AS INTEGER) * 1000 AS t1,
         CASE WHEN src LIKE 'eni-%' THEN NULL ELSE src END AS src_ip,
         CASE WHEN interface_id IS NULL THEN NULL
              WHEN instr(interface_id, ',') > 0 THEN substr(interface_id, 1, instr(interface_id, ',') - 1)
              ELSE interface_id END AS eni1
    FROM vpcflow_export AS e LEFT JOIN vpcflow_attack AS a ON a.detection = e.detection)
SELECT json_patch('{}', json_object(
  'activity_id', 1, 'activity_name', 'Create',
  'category_uid', 2, 'category_name', 'Findings',
  'class_uid', 2004, 'class_name', 'Detection Finding',
  'type_uid', 200401, 'type_name', 'Detection Finding: Create',
  'severity_id', CASE severity WHEN 'critical' THEN 5 WHEN 'high' THEN 4 WHEN 'medium' THEN 3 ELSE 2 END,
  'severity', CASE severity WHEN 'critical' THEN 'Critical' WHEN 'high' THEN 'High'
                            WHEN 'medium' THEN 'Medium' ELSE 'Low' END,
  'status_id', 1, 'status', 'New',
  'time', t0,
  'risk_score', CAST(round(score) AS INTEGER),
  'message', evidence,
  'metadata', json_object('version', '1.1.0',
                          'product', json_object('name', 'vpcflow', 'vendor_name', 'vpcflow',
                                                 'version', vpcflow_version()),
                          'log_name', 'AWS VPC Flow Logs'),
  'finding_info', json_object(
      'uid', detection || ':' || coalesce(src, '') || ':' || coalesce(dst, '') || ':'
             || coalesce(port, '') || ':' || first_seen,
      'title', detection || ': ' || coalesce(src, 'many') || ' -> ' || coalesce(dst, 'many')
               || CASE WHEN port IS NOT NULL THEN ' port ' || port ELSE '' END,
      'desc', evidence,
      'types', json_array(detection),
      'first_seen_time', t0, 'last_seen_time', t1,
      'analytic', json_object('name', detection, 'type_id', 1, 'type', 'Rule'),
      'attacks', CASE WHEN attack IS NULL THEN json_array()
                      ELSE json_array(json_object(
                             'technique', json_object('uid', attack, 'name', technique_name),
                             'tactic', json_object('name', tactic, 'uid',
                                         CASE tactic WHEN 'Initial Access' THEN 'TA0001'
                                                     WHEN 'Defense Evasion' THEN 'TA0005'
                                                     WHEN 'Credential Access' THEN 'TA0006'
                                                     WHEN 'Discovery' THEN 'TA0007'
                                                     WHEN 'Lateral Movement' THEN 'TA0008'
                                                     WHEN 'Exfiltration' THEN 'TA0010'
                                                     WHEN 'Command and Control' THEN 'TA0011'
                                                     WHEN 'Impact' THEN 'TA0040' END),
                             'version', '14')) END),
  'cloud', json_object('provider', 'AWS', 'account', CASE WHEN account_id IS NULL THEN NULL
                                                          ELSE json_object('uid', account_id) END),
  'evidences', json_array(json_patch('{}', json_object(
      'src_endpoint', CASE WHEN src_ip IS NOT NULL OR (src LIKE 'eni-%')
                           THEN json_object('ip', src_ip, 'interface_uid',
                                            CASE WHEN src LIKE 'eni-%' THEN src ELSE eni1 END) END,
      'dst_endpoint', CASE WHEN dst IS NOT NULL THEN json_object('ip', dst, 'port', port) END,
      'connection_info', CASE WHEN protocol IS NULL THEN NULL ELSE json_object(
          'protocol_name', lower(protocol),
          'protocol_num', CASE protocol WHEN 'TCP' THEN 6 WHEN 'UDP' THEN 17 WHEN 'ICMP' THEN 1
                                        WHEN 'ICMPv6' THEN 58 END,
          'direction_id', CASE WHEN src_ip IS NULL OR dst IS NULL THEN 0
                               WHEN is_private(src_ip) AND NOT is_private(dst) THEN 2
                               WHEN NOT is_private(src_ip) AND is_private(dst) THEN 1
                               WHEN is_private(src_ip) AND is_private(dst) THEN 3 ELSE 0 END) END))),
  'unmapped', json_object('vpc_id', vpc_id,
                          'interface_ids', CASE WHEN interface_id IS NULL THEN json_array()
                                                ELSE json('["' || replace(interface_id, ',', '","') || '"]') END,
                          'first_record', first_record, 'investigate', investigate)))
  FROM f ORDER BY rank;

-- Line handling: CRLF, no final newline, empty and header-only files,
-- repeated and switched headers, blank lines, whitespace runs, UTF-8.
.headers off
.nullvalue NULL
.print -- CRLF: no carriage return left in the last field
SELECT log_line, srcport, log_status, length(log_status), action FROM vpcflow('fixtures/misc/crlf.log');
.print -- no newline after the last record
SELECT log_line, srcport, log_status, length(log_status) FROM vpcflow('fixtures/misc/no_final_newline.log');
.print -- empty file and header-only file: no rows
SELECT count(*) FROM vpcflow('fixtures/misc/empty.log');
SELECT count(*) FROM vpcflow('fixtures/misc/header_only.log');
.print -- header repeated mid-file is skipped
SELECT log_line, srcport, bytes, action FROM vpcflow('fixtures/misc/repeated_header.log');
.print -- a different header mid-file switches the mapping
SELECT log_line, version, account_id, srcaddr, dstaddr, srcport, bytes, action, log_status
  FROM vpcflow('fixtures/misc/switch_header.log');
.print -- blank and whitespace-only lines are neither rows nor errors
SELECT log_line, srcport, bytes FROM vpcflow('fixtures/misc/blank_lines.log');
.print -- runs of spaces and tabs, leading and trailing blanks
SELECT log_line, account_id, interface_id, srcaddr, srcport, bytes, action, log_status, length(log_status)
  FROM vpcflow('fixtures/misc/double_spaces.log');
.print -- valid multi-byte UTF-8 in ids
SELECT interface_id, length(interface_id), subnet_id, length(subnet_id), hex(subnet_id)
  FROM vpcflow('fixtures/misc/utf8.log');
.print -- none of the above is an error
SELECT count(*) FROM vpcflow_errors;

-- Rate-limit rows name an IP address or an auth key: they are deleted once their window is a
-- day old (the longest window is an hour). This index makes that deletion cheap.
-- Kept in step with ../sqlite/20261202000004_rate_limit_purge.sql.
CREATE INDEX rate_limits_window_start ON rate_limits (window_start);

-- Times become integer microseconds since the Unix epoch (UTC), as on SQLite, so ORDER BY
-- and comparisons follow one rule on both databases (timestamptz would order the same
-- but SQLite has no such type). Kept in step with
-- ../sqlite/20261124000001_times_as_microseconds.sql.
--
-- Exact conversion: whole seconds from the epoch, plus the microseconds within the second
-- (extract(epoch) alone is a float on older servers).

ALTER TABLE instance ALTER COLUMN created_at TYPE BIGINT
    USING extract(epoch FROM date_trunc('second', created_at))::bigint * 1000000
          + (extract(microseconds FROM created_at)::bigint % 1000000);

ALTER TABLE blobs ALTER COLUMN created_at TYPE BIGINT
    USING extract(epoch FROM date_trunc('second', created_at))::bigint * 1000000
          + (extract(microseconds FROM created_at)::bigint % 1000000);

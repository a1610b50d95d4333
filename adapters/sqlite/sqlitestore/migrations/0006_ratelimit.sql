-- Rate limits: one theoretical arrival time per key (GCRA), in nanoseconds.
CREATE TABLE rate_limits (
	key TEXT PRIMARY KEY,
	tat INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX rate_limits_by_tat ON rate_limits (tat);

-- Rate-limit slots: the n-th request of a key in a window.
CREATE TABLE rate_limit_slots (
	key    TEXT NOT NULL,
	window INTEGER NOT NULL,
	n      INTEGER NOT NULL,
	ends   INTEGER NOT NULL,
	PRIMARY KEY (key, window, n)
) STRICT, WITHOUT ROWID;
CREATE INDEX rate_limit_slots_by_end ON rate_limit_slots (ends);

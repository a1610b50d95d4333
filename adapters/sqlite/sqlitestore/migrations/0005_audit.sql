-- The audit chain and the record of its end.
CREATE TABLE audit_events (
	seq         INTEGER PRIMARY KEY,
	id          TEXT NOT NULL UNIQUE,
	at          INTEGER NOT NULL,
	actor_id    TEXT NOT NULL,
	action      TEXT NOT NULL,
	target_type TEXT NOT NULL,
	target_id   TEXT NOT NULL,
	ip          TEXT NOT NULL,
	user_agent  TEXT NOT NULL,
	request_id  TEXT NOT NULL,
	outcome     TEXT NOT NULL,
	details     TEXT NOT NULL, -- JSON object
	prev_hash   TEXT NOT NULL,
	hash        TEXT NOT NULL
) STRICT;
CREATE INDEX audit_events_by_actor ON audit_events (actor_id, seq);
CREATE INDEX audit_events_by_action ON audit_events (action, seq);
CREATE INDEX audit_events_by_target ON audit_events (target_type, target_id, seq);
CREATE INDEX audit_events_by_time ON audit_events (at, seq);

CREATE TABLE audit_head (
	only     INTEGER PRIMARY KEY CHECK (only = 1),
	seq      INTEGER NOT NULL,
	event_id TEXT NOT NULL,
	at       INTEGER NOT NULL,
	hash     TEXT NOT NULL
) STRICT;

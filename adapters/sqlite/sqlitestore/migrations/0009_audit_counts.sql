-- How many events the chain holds in all, per actor, per action and per
-- target: kept by a trigger in the append's transaction, so that the total of
-- a page filtered on one of them (an actor's events, a dataset's access log)
-- is one row instead of a count of every matching event. Events are never
-- changed or deleted, so an insert is all the trigger needs to follow.
CREATE TABLE audit_event_counts (
	dimension TEXT NOT NULL, -- 'all', 'actor', 'action' or 'target'
	value     TEXT NOT NULL, -- '' for 'all'; for 'target' the type, a tab, the id
	n         INTEGER NOT NULL,
	PRIMARY KEY (dimension, value)
) STRICT, WITHOUT ROWID;

INSERT INTO audit_event_counts (dimension, value, n) SELECT 'all', '', count(*) FROM audit_events;
INSERT INTO audit_event_counts (dimension, value, n) SELECT 'actor', actor_id, count(*) FROM audit_events GROUP BY actor_id;
INSERT INTO audit_event_counts (dimension, value, n) SELECT 'action', action, count(*) FROM audit_events GROUP BY action;
INSERT INTO audit_event_counts (dimension, value, n)
	SELECT 'target', target_type || char(9) || target_id, count(*) FROM audit_events GROUP BY target_type, target_id;

CREATE TRIGGER audit_event_counts_insert AFTER INSERT ON audit_events BEGIN
	INSERT INTO audit_event_counts (dimension, value, n) VALUES ('all', '', 1) ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO audit_event_counts (dimension, value, n) VALUES ('actor', new.actor_id, 1) ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO audit_event_counts (dimension, value, n) VALUES ('action', new.action, 1) ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO audit_event_counts (dimension, value, n) VALUES ('target', new.target_type || char(9) || new.target_id, 1)
		ON CONFLICT DO UPDATE SET n = n + 1;
END;

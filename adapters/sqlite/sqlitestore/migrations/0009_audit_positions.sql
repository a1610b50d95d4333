-- Each event's position among the events of its actor, of its action and of
-- its target (1 for the first): the total of a list filtered on one of them
-- is then the position of the newest matching event, one index lookup,
-- instead of a count of every matching event. The log is append-only, so a
-- position never changes once written.
ALTER TABLE audit_events ADD COLUMN actor_position INTEGER NOT NULL DEFAULT 0;
ALTER TABLE audit_events ADD COLUMN action_position INTEGER NOT NULL DEFAULT 0;
ALTER TABLE audit_events ADD COLUMN target_position INTEGER NOT NULL DEFAULT 0;
UPDATE audit_events SET actor_position = p.actor_position, action_position = p.action_position,
	target_position = p.target_position
FROM (SELECT seq,
		row_number() OVER (PARTITION BY actor_id ORDER BY seq) AS actor_position,
		row_number() OVER (PARTITION BY action ORDER BY seq) AS action_position,
		row_number() OVER (PARTITION BY target_type, target_id ORDER BY seq) AS target_position
	FROM audit_events) AS p
WHERE p.seq = audit_events.seq;

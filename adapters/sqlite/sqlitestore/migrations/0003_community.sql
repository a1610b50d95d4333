-- Communities, their administrators, memberships and join requests.
CREATE TABLE communities (
	id                TEXT PRIMARY KEY,
	name              TEXT NOT NULL,
	name_key          TEXT NOT NULL UNIQUE,
	description       TEXT NOT NULL,
	created_by        TEXT NOT NULL,
	logo_key          TEXT NOT NULL,
	logo_content_type TEXT NOT NULL,
	logo_etag         TEXT NOT NULL,
	created_at        INTEGER NOT NULL,
	updated_at        INTEGER NOT NULL,
	version           INTEGER NOT NULL
) STRICT;
-- The list order, with the name key so that a name filter reads the index alone.
CREATE INDEX communities_by_age ON communities (created_at, id, name_key);

CREATE TABLE community_admins (
	community_id TEXT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
	user_id      TEXT NOT NULL,
	position     INTEGER NOT NULL,
	PRIMARY KEY (community_id, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX community_admins_by_user ON community_admins (user_id);

CREATE TABLE memberships (
	community_id TEXT NOT NULL,
	user_id      TEXT NOT NULL,
	role         TEXT NOT NULL,
	added_at     INTEGER NOT NULL,
	PRIMARY KEY (community_id, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX memberships_by_community ON memberships (community_id, added_at, user_id);
CREATE INDEX memberships_by_user ON memberships (user_id, added_at, community_id);

CREATE TABLE join_requests (
	id           TEXT PRIMARY KEY,
	community_id TEXT NOT NULL,
	user_id      TEXT NOT NULL,
	message      TEXT NOT NULL,
	status       TEXT NOT NULL,
	reason       TEXT NOT NULL,
	decided_by   TEXT NOT NULL,
	created_at   INTEGER NOT NULL,
	decided_at   INTEGER,
	version      INTEGER NOT NULL
) STRICT;
-- A user has at most one pending request per community.
CREATE UNIQUE INDEX join_requests_one_pending ON join_requests (community_id, user_id) WHERE status = 'pending';
CREATE INDEX join_requests_by_community ON join_requests (community_id, status, created_at, id);
CREATE INDEX join_requests_by_user ON join_requests (user_id, status, created_at, id);
CREATE INDEX join_requests_by_age ON join_requests (created_at, id);

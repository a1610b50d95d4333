-- Data-use governance: terms, consents, access requests, grants and the
-- claims of one-time notices about grants.
CREATE TABLE governance_terms (
	id           TEXT PRIMARY KEY,
	community_id TEXT NOT NULL,
	version      INTEGER NOT NULL,
	title        TEXT NOT NULL,
	body         TEXT NOT NULL,
	published_at INTEGER NOT NULL,
	published_by TEXT NOT NULL,
	UNIQUE (community_id, version)
) STRICT;

CREATE TABLE governance_consents (
	id           TEXT PRIMARY KEY,
	user_id      TEXT NOT NULL,
	community_id TEXT NOT NULL,
	terms_id     TEXT NOT NULL,
	version      INTEGER NOT NULL,
	request_id   TEXT NOT NULL,
	accepted_at  INTEGER NOT NULL,
	ip           TEXT NOT NULL
) STRICT;
CREATE INDEX governance_consents_by_user ON governance_consents (user_id, accepted_at DESC, id DESC);
CREATE INDEX governance_consents_by_community ON governance_consents (community_id, accepted_at DESC, id DESC);
CREATE INDEX governance_consents_by_time ON governance_consents (accepted_at DESC, id DESC);

CREATE TABLE governance_access_requests (
	id              TEXT PRIMARY KEY,
	dataset_id      TEXT NOT NULL,
	requester_id    TEXT NOT NULL,
	purpose         TEXT NOT NULL,
	organization    TEXT NOT NULL,
	requested_until INTEGER NOT NULL,
	terms_version   INTEGER NOT NULL,
	status          TEXT NOT NULL,
	decided_by      TEXT NOT NULL,
	decided_at      INTEGER,
	reason          TEXT NOT NULL,
	note            TEXT NOT NULL,
	grant_id        TEXT NOT NULL,
	created_at      INTEGER NOT NULL,
	version         INTEGER NOT NULL
) STRICT;
-- A requester has at most one pending request per dataset.
CREATE UNIQUE INDEX governance_requests_one_pending ON governance_access_requests (dataset_id, requester_id) WHERE status = 'pending';
CREATE INDEX governance_requests_by_dataset ON governance_access_requests (dataset_id, created_at DESC, id DESC);
CREATE INDEX governance_requests_by_requester ON governance_access_requests (requester_id, created_at DESC, id DESC);
CREATE INDEX governance_requests_by_time ON governance_access_requests (created_at DESC, id DESC);

CREATE TABLE governance_grants (
	id             TEXT PRIMARY KEY,
	dataset_id     TEXT NOT NULL,
	dataset_title  TEXT NOT NULL,
	community_id   TEXT NOT NULL,
	community_name TEXT NOT NULL,
	grantee_id     TEXT NOT NULL,
	request_id     TEXT NOT NULL UNIQUE, -- a request makes at most one grant
	purpose        TEXT NOT NULL,
	organization   TEXT NOT NULL,
	terms_version  INTEGER NOT NULL,
	granted_by     TEXT NOT NULL,
	granted_at     INTEGER NOT NULL,
	expires_at     INTEGER NOT NULL,
	revoked_at     INTEGER,
	revoked_by     TEXT NOT NULL,
	revoke_reason  TEXT NOT NULL,
	version        INTEGER NOT NULL
) STRICT;
CREATE INDEX governance_grants_by_holder ON governance_grants (dataset_id, grantee_id, expires_at DESC);
CREATE INDEX governance_grants_by_dataset ON governance_grants (dataset_id, granted_at DESC, id DESC);
CREATE INDEX governance_grants_by_grantee ON governance_grants (grantee_id, granted_at DESC, id DESC);
CREATE INDEX governance_grants_by_community ON governance_grants (community_id, granted_at DESC, id DESC);
CREATE INDEX governance_grants_by_time ON governance_grants (granted_at DESC, id DESC);
CREATE INDEX governance_grants_by_end ON governance_grants (expires_at, id);

CREATE TABLE governance_notice_claims (
	grant_id   TEXT NOT NULL,
	notice     TEXT NOT NULL,
	claimed_at INTEGER NOT NULL,
	PRIMARY KEY (notice, grant_id)
) STRICT, WITHOUT ROWID;

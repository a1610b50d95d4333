-- Identity: users (their roles in order), sessions, one-time tokens.
CREATE TABLE users (
	id                    TEXT PRIMARY KEY,
	name                  TEXT NOT NULL,
	email                 TEXT NOT NULL UNIQUE,
	active                INTEGER NOT NULL,
	password_hash         TEXT NOT NULL,
	email_verified        INTEGER NOT NULL,
	last_login            INTEGER,
	failed_login_attempts INTEGER NOT NULL,
	locked_until          INTEGER,
	created_at            INTEGER NOT NULL,
	updated_at            INTEGER NOT NULL,
	version               INTEGER NOT NULL
) STRICT;

CREATE TABLE user_roles (
	user_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	role_id  TEXT NOT NULL,
	position INTEGER NOT NULL,
	PRIMARY KEY (user_id, role_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX user_roles_by_role ON user_roles (role_id, user_id);

CREATE TABLE sessions (
	id                  TEXT PRIMARY KEY,
	user_id             TEXT NOT NULL,
	refresh_hash        TEXT NOT NULL,
	previous_hashes     TEXT NOT NULL, -- JSON array, oldest first
	rotation_nonce      TEXT NOT NULL,
	rotated_at          INTEGER NOT NULL,
	created_at          INTEGER NOT NULL,
	last_used_at        INTEGER NOT NULL,
	expires_at          INTEGER NOT NULL,
	absolute_expires_at INTEGER NOT NULL,
	revoked_at          INTEGER,
	ip                  TEXT NOT NULL,
	user_agent          TEXT NOT NULL,
	version             INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_by_user ON sessions (user_id, id);

CREATE TABLE one_time_tokens (
	id         TEXT PRIMARY KEY,
	user_id    TEXT NOT NULL,
	purpose    TEXT NOT NULL,
	hash       TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	used_at    INTEGER
) STRICT;
CREATE INDEX one_time_tokens_by_user ON one_time_tokens (user_id, purpose);

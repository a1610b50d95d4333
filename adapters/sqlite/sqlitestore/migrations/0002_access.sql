-- Access: roles, role-base modules and the roles each module lists, in order.
CREATE TABLE roles (
	id              TEXT PRIMARY KEY,
	name            TEXT NOT NULL,
	name_key        TEXT NOT NULL UNIQUE,
	self_assignable INTEGER NOT NULL,
	created_at      INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL
) STRICT;

CREATE TABLE modules (
	id         TEXT PRIMARY KEY,
	name       TEXT NOT NULL,
	name_key   TEXT NOT NULL UNIQUE,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE module_roles (
	module_id TEXT NOT NULL REFERENCES modules (id) ON DELETE CASCADE,
	role_id   TEXT NOT NULL,
	position  INTEGER NOT NULL,
	PRIMARY KEY (module_id, role_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX module_roles_by_role ON module_roles (role_id, module_id);

-- Resumable uploads: one row per upload until it expires. Their bytes live
-- in stages of the blob store; a row records how far the upload got, the
-- state of its SHA-256 there, and the lease of the request writing it.
CREATE TABLE dataset_uploads (
	id              TEXT PRIMARY KEY,
	owner_id        TEXT NOT NULL,
	dataset_id      TEXT NOT NULL, -- '' for a new dataset
	new_dataset     TEXT NOT NULL, -- the new dataset's metadata, JSON
	filename        TEXT NOT NULL,
	declared_type   TEXT NOT NULL,
	metadata        TEXT NOT NULL,
	size            INTEGER NOT NULL,
	received        INTEGER NOT NULL, -- the offset
	stage_key       TEXT NOT NULL,
	hash_state      BLOB NOT NULL,
	head            BLOB NOT NULL,
	created_at      INTEGER NOT NULL,
	expires_at      INTEGER NOT NULL,
	lock_holder     TEXT NOT NULL,
	locked_until    INTEGER NOT NULL,
	release_asked   INTEGER NOT NULL,
	result_dataset  TEXT, -- NULL until the upload became a dataset or version
	result_version  INTEGER NOT NULL,
	revision        INTEGER NOT NULL
) STRICT;
CREATE INDEX dataset_uploads_by_expiry ON dataset_uploads (expires_at, id);

-- Datasets, their tags and versions, and the full-text index behind `q`.
CREATE TABLE datasets (
	-- An explicit rowid: the full-text index refers to rows by it, and VACUUM
	-- keeps only explicit ones.
	pk           INTEGER PRIMARY KEY,
	id           TEXT NOT NULL UNIQUE,
	title        TEXT NOT NULL,
	description  TEXT NOT NULL,
	community_id TEXT,
	owner_id     TEXT NOT NULL,
	visibility   TEXT NOT NULL,
	license      TEXT NOT NULL,
	version      INTEGER NOT NULL, -- the current version's number
	-- Title and description lower-cased (Unicode) for `q`, which ignores case.
	search_title       TEXT NOT NULL,
	search_description TEXT NOT NULL,
	created_at   INTEGER NOT NULL,
	updated_at   INTEGER NOT NULL,
	revision     INTEGER NOT NULL
) STRICT;
-- Newest first, with what the visibility rule reads, so that a page is read
-- from the index alone until its rows are fetched.
CREATE INDEX datasets_by_age ON datasets (created_at DESC, id DESC, visibility, owner_id, community_id);
CREATE INDEX datasets_by_community ON datasets (community_id, created_at DESC, id DESC);
CREATE INDEX datasets_by_owner ON datasets (owner_id, created_at DESC, id DESC);
CREATE INDEX datasets_by_visibility ON datasets (visibility, created_at DESC, id DESC);

CREATE TABLE dataset_tags (
	dataset_id TEXT NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
	tag        TEXT NOT NULL,
	position   INTEGER NOT NULL,
	PRIMARY KEY (dataset_id, tag)
) STRICT, WITHOUT ROWID;
CREATE INDEX dataset_tags_by_tag ON dataset_tags (tag, dataset_id);

CREATE TABLE dataset_versions (
	dataset_id   TEXT NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
	number       INTEGER NOT NULL,
	filename     TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size         INTEGER NOT NULL,
	sha256       TEXT NOT NULL,
	blob_key     TEXT NOT NULL,
	created_by   TEXT NOT NULL,
	created_at   INTEGER NOT NULL,
	PRIMARY KEY (dataset_id, number)
) STRICT, WITHOUT ROWID;

-- Trigrams make `q` a substring match, as on every other store, found through
-- the index for three characters and more.
CREATE VIRTUAL TABLE datasets_text USING fts5 (
	search_title, search_description, content = 'datasets', content_rowid = 'pk', tokenize = 'trigram case_sensitive 1'
);
CREATE TRIGGER datasets_text_insert AFTER INSERT ON datasets BEGIN
	INSERT INTO datasets_text (rowid, search_title, search_description) VALUES (new.pk, new.search_title, new.search_description);
END;
CREATE TRIGGER datasets_text_delete AFTER DELETE ON datasets BEGIN
	INSERT INTO datasets_text (datasets_text, rowid, search_title, search_description) VALUES ('delete', old.pk, old.search_title, old.search_description);
END;
CREATE TRIGGER datasets_text_update AFTER UPDATE OF search_title, search_description ON datasets
WHEN old.search_title IS NOT new.search_title OR old.search_description IS NOT new.search_description BEGIN
	INSERT INTO datasets_text (datasets_text, rowid, search_title, search_description) VALUES ('delete', old.pk, old.search_title, old.search_description);
	INSERT INTO datasets_text (rowid, search_title, search_description) VALUES (new.pk, new.search_title, new.search_description);
END;

-- How many datasets of each visibility every community holds, and every
-- owner: kept by triggers in the transaction that changes a dataset, so that
-- the total of a list is a sum over communities and one owner instead of a
-- count of every dataset the viewer may see. community_id '' is none.
CREATE TABLE dataset_counts_by_community (
	community_id TEXT NOT NULL,
	visibility   TEXT NOT NULL,
	n            INTEGER NOT NULL,
	PRIMARY KEY (community_id, visibility)
) STRICT, WITHOUT ROWID;
CREATE INDEX dataset_counts_by_visibility ON dataset_counts_by_community (visibility, community_id, n);
CREATE TABLE dataset_counts_by_owner (
	owner_id     TEXT NOT NULL,
	community_id TEXT NOT NULL,
	visibility   TEXT NOT NULL,
	n            INTEGER NOT NULL,
	PRIMARY KEY (owner_id, community_id, visibility)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER dataset_counts_insert AFTER INSERT ON datasets BEGIN
	INSERT INTO dataset_counts_by_community (community_id, visibility, n) VALUES (coalesce(new.community_id, ''), new.visibility, 1)
		ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO dataset_counts_by_owner (owner_id, community_id, visibility, n) VALUES (new.owner_id, coalesce(new.community_id, ''), new.visibility, 1)
		ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER dataset_counts_delete AFTER DELETE ON datasets BEGIN
	UPDATE dataset_counts_by_community SET n = n - 1 WHERE community_id = coalesce(old.community_id, '') AND visibility = old.visibility;
	DELETE FROM dataset_counts_by_community WHERE community_id = coalesce(old.community_id, '') AND visibility = old.visibility AND n = 0;
	UPDATE dataset_counts_by_owner SET n = n - 1 WHERE owner_id = old.owner_id AND community_id = coalesce(old.community_id, '') AND visibility = old.visibility;
	DELETE FROM dataset_counts_by_owner WHERE owner_id = old.owner_id AND community_id = coalesce(old.community_id, '') AND visibility = old.visibility AND n = 0;
END;
CREATE TRIGGER dataset_counts_update AFTER UPDATE OF owner_id, community_id, visibility ON datasets
WHEN old.owner_id IS NOT new.owner_id OR old.community_id IS NOT new.community_id OR old.visibility IS NOT new.visibility BEGIN
	UPDATE dataset_counts_by_community SET n = n - 1 WHERE community_id = coalesce(old.community_id, '') AND visibility = old.visibility;
	DELETE FROM dataset_counts_by_community WHERE community_id = coalesce(old.community_id, '') AND visibility = old.visibility AND n = 0;
	UPDATE dataset_counts_by_owner SET n = n - 1 WHERE owner_id = old.owner_id AND community_id = coalesce(old.community_id, '') AND visibility = old.visibility;
	DELETE FROM dataset_counts_by_owner WHERE owner_id = old.owner_id AND community_id = coalesce(old.community_id, '') AND visibility = old.visibility AND n = 0;
	INSERT INTO dataset_counts_by_community (community_id, visibility, n) VALUES (coalesce(new.community_id, ''), new.visibility, 1)
		ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO dataset_counts_by_owner (owner_id, community_id, visibility, n) VALUES (new.owner_id, coalesce(new.community_id, ''), new.visibility, 1)
		ON CONFLICT DO UPDATE SET n = n + 1;
END;

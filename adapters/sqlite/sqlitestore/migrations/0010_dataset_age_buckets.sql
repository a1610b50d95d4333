-- Counts of datasets per stretch of creation time ("bucket"), so that a deep
-- page of the newest-first list skips whole buckets instead of stepping
-- through every dataset before its offset (an OFFSET reads each row it skips).
--
-- A bucket holds the datasets created from its start (milliseconds) to the
-- next bucket's start. The newest bucket is closed once it holds
-- `bucket size` datasets (2000) and a dataset newer than every other one
-- arrives, which then opens the next bucket; a dataset never changes bucket,
-- since a start is only ever added above every existing creation time. A
-- bucket may grow past the size when datasets arrive out of time order (an
-- import): the list stays exact, only its deep pages step further.
CREATE TABLE dataset_age_buckets (
	start INTEGER PRIMARY KEY
) STRICT;
INSERT INTO dataset_age_buckets (start) VALUES (-9223372036854775808);

-- Every dataset, per bucket and visibility.
CREATE TABLE dataset_age_counts (
	bucket     INTEGER NOT NULL,
	visibility TEXT NOT NULL,
	n          INTEGER NOT NULL,
	PRIMARY KEY (bucket, visibility)
) STRICT, WITHOUT ROWID;
CREATE INDEX dataset_age_counts_by_visibility ON dataset_age_counts (visibility, bucket, n);
-- The community-only datasets, per community and bucket.
CREATE TABLE dataset_age_counts_by_community (
	community_id TEXT NOT NULL,
	bucket       INTEGER NOT NULL,
	n            INTEGER NOT NULL,
	PRIMARY KEY (community_id, bucket)
) STRICT, WITHOUT ROWID;
-- The private and community-only datasets, per owner and bucket (a private
-- one's community is ''): what an owner sees of their own beyond the rest.
CREATE TABLE dataset_age_counts_by_owner (
	owner_id     TEXT NOT NULL,
	bucket       INTEGER NOT NULL,
	visibility   TEXT NOT NULL,
	community_id TEXT NOT NULL,
	n            INTEGER NOT NULL,
	PRIMARY KEY (owner_id, bucket, visibility, community_id)
) STRICT, WITHOUT ROWID;

-- The datasets already stored: a bucket starts at every 2000th creation
-- time, oldest first.
INSERT INTO dataset_age_buckets (start)
SELECT DISTINCT created_at FROM (SELECT created_at, row_number() OVER (ORDER BY created_at, pk) AS k FROM datasets)
WHERE k % 2000 = 1 AND k > 1;
CREATE TEMP TABLE dataset_age_of AS
SELECT d.pk, d.visibility, coalesce(d.community_id, '') AS community_id, d.owner_id,
	(SELECT max(start) FROM dataset_age_buckets WHERE start <= d.created_at) AS bucket
FROM datasets d;
INSERT INTO dataset_age_counts (bucket, visibility, n)
SELECT bucket, visibility, count(*) FROM dataset_age_of GROUP BY bucket, visibility;
INSERT INTO dataset_age_counts_by_community (community_id, bucket, n)
SELECT community_id, bucket, count(*) FROM dataset_age_of WHERE visibility = 'community' GROUP BY community_id, bucket;
INSERT INTO dataset_age_counts_by_owner (owner_id, bucket, visibility, community_id, n)
SELECT owner_id, bucket, visibility, CASE visibility WHEN 'private' THEN '' ELSE community_id END, count(*)
FROM dataset_age_of WHERE visibility IN ('private', 'community') GROUP BY 1, 2, 3, 4;
DROP TABLE dataset_age_of;

CREATE TRIGGER dataset_age_insert AFTER INSERT ON datasets BEGIN
	INSERT INTO dataset_age_buckets (start)
	SELECT new.created_at FROM (SELECT max(start) AS newest FROM dataset_age_buckets)
	WHERE new.created_at > newest
		AND (SELECT coalesce(sum(n), 0) FROM dataset_age_counts WHERE bucket = newest) >= 2000
		AND NOT EXISTS (SELECT 1 FROM datasets WHERE created_at >= new.created_at AND pk <> new.pk);
	INSERT INTO dataset_age_counts (bucket, visibility, n)
	SELECT (SELECT max(start) FROM dataset_age_buckets WHERE start <= new.created_at), new.visibility, 1 WHERE true
		ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO dataset_age_counts_by_community (community_id, bucket, n)
	SELECT coalesce(new.community_id, ''), (SELECT max(start) FROM dataset_age_buckets WHERE start <= new.created_at), 1
	WHERE new.visibility = 'community'
		ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO dataset_age_counts_by_owner (owner_id, bucket, visibility, community_id, n)
	SELECT new.owner_id, (SELECT max(start) FROM dataset_age_buckets WHERE start <= new.created_at), new.visibility,
		CASE new.visibility WHEN 'private' THEN '' ELSE coalesce(new.community_id, '') END, 1
	WHERE new.visibility IN ('private', 'community')
		ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER dataset_age_delete AFTER DELETE ON datasets BEGIN
	UPDATE dataset_age_counts SET n = n - 1
	WHERE bucket = (SELECT max(start) FROM dataset_age_buckets WHERE start <= old.created_at) AND visibility = old.visibility;
	UPDATE dataset_age_counts_by_community SET n = n - 1
	WHERE old.visibility = 'community' AND community_id = coalesce(old.community_id, '')
		AND bucket = (SELECT max(start) FROM dataset_age_buckets WHERE start <= old.created_at);
	UPDATE dataset_age_counts_by_owner SET n = n - 1
	WHERE old.visibility IN ('private', 'community') AND owner_id = old.owner_id
		AND bucket = (SELECT max(start) FROM dataset_age_buckets WHERE start <= old.created_at) AND visibility = old.visibility
		AND community_id = CASE old.visibility WHEN 'private' THEN '' ELSE coalesce(old.community_id, '') END;
END;
CREATE TRIGGER dataset_age_update AFTER UPDATE OF owner_id, community_id, visibility, created_at ON datasets
WHEN old.owner_id IS NOT new.owner_id OR old.community_id IS NOT new.community_id OR old.visibility IS NOT new.visibility
	OR old.created_at IS NOT new.created_at BEGIN
	UPDATE dataset_age_counts SET n = n - 1
	WHERE bucket = (SELECT max(start) FROM dataset_age_buckets WHERE start <= old.created_at) AND visibility = old.visibility;
	UPDATE dataset_age_counts_by_community SET n = n - 1
	WHERE old.visibility = 'community' AND community_id = coalesce(old.community_id, '')
		AND bucket = (SELECT max(start) FROM dataset_age_buckets WHERE start <= old.created_at);
	UPDATE dataset_age_counts_by_owner SET n = n - 1
	WHERE old.visibility IN ('private', 'community') AND owner_id = old.owner_id
		AND bucket = (SELECT max(start) FROM dataset_age_buckets WHERE start <= old.created_at) AND visibility = old.visibility
		AND community_id = CASE old.visibility WHEN 'private' THEN '' ELSE coalesce(old.community_id, '') END;
	INSERT INTO dataset_age_counts (bucket, visibility, n)
	SELECT (SELECT max(start) FROM dataset_age_buckets WHERE start <= new.created_at), new.visibility, 1 WHERE true
		ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO dataset_age_counts_by_community (community_id, bucket, n)
	SELECT coalesce(new.community_id, ''), (SELECT max(start) FROM dataset_age_buckets WHERE start <= new.created_at), 1
	WHERE new.visibility = 'community'
		ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO dataset_age_counts_by_owner (owner_id, bucket, visibility, community_id, n)
	SELECT new.owner_id, (SELECT max(start) FROM dataset_age_buckets WHERE start <= new.created_at), new.visibility,
		CASE new.visibility WHEN 'private' THEN '' ELSE coalesce(new.community_id, '') END, 1
	WHERE new.visibility IN ('private', 'community')
		ON CONFLICT DO UPDATE SET n = n + 1;
END;

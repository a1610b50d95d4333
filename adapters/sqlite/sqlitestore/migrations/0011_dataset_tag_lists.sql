-- Each dataset's tags also as a JSON array in its row, in their order, so
-- that reading a dataset or a page of them needs no query of dataset_tags
-- (which stays the index of the tag filter). Both are written in the
-- transaction that changes the dataset.
ALTER TABLE datasets ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
UPDATE datasets SET tags = t.list
FROM (SELECT dataset_id, json_group_array(tag ORDER BY position) AS list FROM dataset_tags GROUP BY dataset_id) AS t
WHERE t.dataset_id = datasets.id;

-- Outside a transaction: one statement per line, each safe to run
-- again (crash.sh replays them one by one for its references).
--
-- migc:revision      c7a500000009
-- migc:down_revision c7a500000008
-- migc:message       tags, outside a transaction
-- migc:create_date   2026-11-26 09:09:00
-- migc:transaction   none

-- migc:upgrade
CREATE TABLE IF NOT EXISTS tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
INSERT INTO tags (id, name) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) SELECT i, 'tag ' || i FROM n WHERE NOT EXISTS (SELECT 1 FROM tags WHERE tags.id = n.i);
CREATE TABLE IF NOT EXISTS item_tags (item_id INTEGER NOT NULL, tag_id INTEGER NOT NULL, PRIMARY KEY (item_id, tag_id));
INSERT INTO item_tags (item_id, tag_id) SELECT id, 1 + id % 500 FROM items WHERE NOT EXISTS (SELECT 1 FROM item_tags t WHERE t.item_id = items.id);
CREATE INDEX IF NOT EXISTS item_tags_tag ON item_tags (tag_id);

-- migc:downgrade
DROP TABLE item_tags;
DROP TABLE tags;

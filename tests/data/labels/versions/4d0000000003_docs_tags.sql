-- migc:revision      4d0000000003
-- migc:down_revision 4d0000000002
-- migc:message       docs: tags
-- migc:create_date   2026-12-01 10:00:00

-- migc:upgrade
CREATE TABLE tags (id INTEGER PRIMARY KEY);

-- migc:downgrade
DROP TABLE tags;

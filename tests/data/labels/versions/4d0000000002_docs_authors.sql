-- migc:revision      4d0000000002
-- migc:down_revision 4d0000000001
-- migc:message       docs: authors
-- migc:create_date   2026-12-01 10:00:00
-- migc:branch_labels docs

-- migc:upgrade
CREATE TABLE authors (id INTEGER PRIMARY KEY);

-- migc:downgrade
DROP TABLE authors;

-- migc:revision      3c0000000004
-- migc:down_revision 3c00000000b3, 3c00000000a3
-- migc:message       catalog: merge stock and images
-- migc:create_date   2026-12-01 10:00:00

-- migc:upgrade
CREATE TABLE catalog_merged (id INTEGER PRIMARY KEY);

-- migc:downgrade
DROP TABLE catalog_merged;

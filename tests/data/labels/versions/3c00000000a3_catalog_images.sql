-- migc:revision      3c00000000a3
-- migc:down_revision 3c0000000002
-- migc:message       catalog: images
-- migc:create_date   2026-12-01 10:00:00

-- migc:upgrade
CREATE TABLE images (id INTEGER PRIMARY KEY);

-- migc:downgrade
DROP TABLE images;

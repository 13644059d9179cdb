-- migc:revision aaaa
-- migc:down_revision none
-- migc:transaction none
-- migc:upgrade
VACUUM;
BEGIN;
CREATE TABLE a (x);
COMMIT;

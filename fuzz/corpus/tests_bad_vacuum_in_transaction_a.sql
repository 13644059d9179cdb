-- migc:revision aaaa
-- migc:down_revision none
-- migc:upgrade
CREATE TABLE t (x);
VACUUM;

-- migc:revision aaaa
-- migc:down_revision none
CREATE TABLE t (x);
-- migc:upgrade

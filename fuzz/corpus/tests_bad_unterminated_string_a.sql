-- migc:revision aaaa
-- migc:down_revision none
-- migc:upgrade
INSERT INTO t VALUES ('it's');

-- migc:revision aaaa
-- migc:down_revision none
-- migc:upgrade
CREATE TABLE [users (id INTEGER);

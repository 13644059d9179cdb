-- migc:revision aaaa
-- migc:down_revision none
-- migc:upgrade postgresql
SELECT 1;

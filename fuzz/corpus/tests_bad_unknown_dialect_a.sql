-- migc:revision aaaa
-- migc:down_revision none
-- migc:upgrade mysql
SELECT 1;

-- migc:revision aaaa
-- migc:upgrade
SELECT 1;
-- migc:down_revision none

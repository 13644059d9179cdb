-- migc:revision aaaa
-- migc:down_revision none
-- migc:upgrade
SELECT 1;

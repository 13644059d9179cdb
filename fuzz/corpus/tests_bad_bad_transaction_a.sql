-- migc:revision aaaa
-- migc:down_revision none
-- migc:transaction maybe
-- migc:upgrade
SELECT 1;

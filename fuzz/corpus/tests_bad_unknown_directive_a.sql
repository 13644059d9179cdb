-- migc:revision aaaa
-- migc:down_revison none
-- migc:upgrade
SELECT 1;

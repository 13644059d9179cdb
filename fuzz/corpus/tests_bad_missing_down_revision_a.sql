-- migc:revision aaaa
-- migc:upgrade
SELECT 1;

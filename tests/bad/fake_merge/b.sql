-- migc:revision bbbb
-- migc:down_revision aaaa,  aaaa
-- migc:depends_on aaaa, aaaa
-- migc:upgrade
SELECT 1;

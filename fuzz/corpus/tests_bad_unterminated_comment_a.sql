-- migc:revision aaaa
-- migc:down_revision none
-- migc:upgrade
SELECT 1; /* forgot to close
SELECT 2;

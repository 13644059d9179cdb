-- migc:revision abc:def
-- migc:down_revision none
-- migc:upgrade
SELECT 1;

-- migc:revision abc+1
-- migc:down_revision none
-- migc:upgrade
SELECT 1;

-- migc:revision   current
-- migc:down_revision none
-- migc:upgrade
SELECT 1;

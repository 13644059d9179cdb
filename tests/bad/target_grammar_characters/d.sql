-- migc:revision dddd
-- migc:down_revision none
-- migc:branch_labels auth@x, ok
-- migc:upgrade
SELECT 1;

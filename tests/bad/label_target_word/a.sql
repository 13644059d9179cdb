-- migc:revision aaaa
-- migc:down_revision none
-- migc:branch_labels auth, heads
-- migc:upgrade
SELECT 1;

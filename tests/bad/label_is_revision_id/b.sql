-- migc:revision bbbb
-- migc:down_revision aaaa
-- migc:branch_labels aaaa
-- migc:upgrade
SELECT 1;

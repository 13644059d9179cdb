-- migc:revision auth@head
-- migc:down_revision none
-- migc:upgrade
SELECT 1;

-- migc:revision aaaa
-- migc:down_revision none
-- migc:downgrade
SELECT 1;

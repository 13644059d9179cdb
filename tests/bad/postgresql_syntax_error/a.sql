-- migc:revision aaaa
-- migc:down_revision none
-- migc:upgrade
CREATE TABLE accounts (id bigint PRIMARY KEY);
  CREAT TABLE tags (id int);

-- migc:downgrade
DROP TABLE accounts;

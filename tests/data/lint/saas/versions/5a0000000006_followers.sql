-- migc:revision      5a0000000006
-- migc:down_revision 5a0000000005
-- migc:message       follows, reports

-- migc:upgrade
CREATE TABLE follows (
  id bigserial PRIMARY KEY,
  account_id bigint NOT NULL,
  target_account_id bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE follows ADD CONSTRAINT fk_follows_account FOREIGN KEY (account_id) REFERENCES accounts (id);
ALTER TABLE statuses ADD COLUMN in_reply_to_id bigint REFERENCES statuses (id);
ALTER TABLE statuses ADD COLUMN uri varchar(255);
ALTER TABLE accounts ADD CONSTRAINT accounts_uri_unique UNIQUE (username, domain);

-- migc:downgrade
ALTER TABLE accounts DROP CONSTRAINT accounts_uri_unique;
ALTER TABLE statuses DROP COLUMN uri;
ALTER TABLE statuses DROP COLUMN in_reply_to_id;
DROP TABLE follows;

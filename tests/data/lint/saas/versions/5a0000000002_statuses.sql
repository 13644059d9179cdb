-- migc:revision      5a0000000002
-- migc:down_revision 5a0000000001
-- migc:message       statuses

-- migc:upgrade
CREATE TABLE statuses (
  id bigint PRIMARY KEY,
  account_id integer NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  text text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX index_statuses_on_account_id_and_id ON statuses (account_id, id DESC);

-- migc:downgrade
DROP TABLE statuses;

-- migc:revision      5a0000000003
-- migc:down_revision 5a0000000002
-- migc:message       user settings and confirmation

-- migc:upgrade
ALTER TABLE users ADD COLUMN confirmed_at timestamptz;
ALTER TABLE users ADD COLUMN settings jsonb NOT NULL DEFAULT '{}';
ALTER TABLE users ADD COLUMN otp_secret text NOT NULL;
CREATE INDEX index_users_on_email ON users (email);

-- migc:downgrade
DROP INDEX index_users_on_email;
ALTER TABLE users DROP COLUMN otp_secret;
ALTER TABLE users DROP COLUMN settings;
ALTER TABLE users DROP COLUMN confirmed_at;

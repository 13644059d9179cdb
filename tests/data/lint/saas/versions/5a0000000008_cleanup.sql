-- migc:revision      5a0000000008
-- migc:down_revision 5a0000000007
-- migc:message       cleanup
-- migc:allow         ban-drop-column -- read by nothing since 5a0000000007

-- migc:upgrade
SET lock_timeout = '3s';
ALTER TABLE users DROP COLUMN otp_secret;
DROP INDEX index_users_on_email;
ALTER TABLE users ALTER COLUMN email DROP NOT NULL;
DROP TABLE account_follows;

-- migc:downgrade
CREATE TABLE account_follows (id bigserial PRIMARY KEY);
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
CREATE INDEX index_users_on_email ON users (email);
ALTER TABLE users ADD COLUMN otp_secret text;

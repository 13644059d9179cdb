-- kinds: policy
ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
CREATE POLICY invoices_own ON invoices
    USING (member_id = current_setting('app.member_id', true)::bigint);

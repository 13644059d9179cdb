-- kinds: policy
ALTER POLICY invoices_own ON invoices
    USING (member_id = current_setting('app.member_id', true)::bigint
           OR current_setting('app.role', true) = 'admin');

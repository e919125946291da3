-- Who sees which expense. The caller's identity comes from the JWT claims PostgREST sets in
-- request.jwt.claims: sub is the user, team the approver's team.
alter table expenses enable row level security;

create function expense_claim(name text) returns text
  language sql stable
  as $$ select current_setting('request.jwt.claims', true)::jsonb ->> name $$;

create policy employee_own_expenses on expenses
  for all to employee
  using (owner = expense_claim('sub'))
  with check (owner = expense_claim('sub') and status in ('draft', 'submitted'));

create policy approver_team_submitted on expenses
  for all to approver
  using (team = expense_claim('team') and status = 'submitted')
  with check (team = expense_claim('team') and status in ('approved', 'rejected'));

create policy admin_all_expenses on expenses
  for all to admin
  using (true)
  with check (true);

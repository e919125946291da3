-- Example rows, so that the role tests of rls_deploy have something to see: carol and dave are
-- employees of the finance and sales teams, bob approves for finance.
insert into expenses (owner, team, amount_cents, description, status) values
  ('carol', 'finance', 4200, 'Train to the client', 'submitted'),
  ('carol', 'finance', 1250, 'Team lunch', 'draft'),
  ('dave', 'sales', 9900, 'Conference ticket', 'submitted'),
  ('dave', 'sales', 3100, 'Hotel night', 'approved');

-- A customer's general notes (备注), the free text field people bring from other CRMs and from the 备注 / 买家留言
-- columns of their spreadsheets (issue 7, point 7). Not searched; capped at 2,000 characters by the API.
-- Existing rows stay null, so their audited state hash is unchanged (registerColumnsAddedLater in the customers module).
ALTER TABLE customers ADD COLUMN notes text;

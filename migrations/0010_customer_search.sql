-- Customer search where every way of matching uses an index (modules/customers/search.ts).
-- Names are now also found by fragments, through CJK characters and character pairs stored in search_tokens;
-- a mobile also by exactly its last 4 digits, which its masked form shows; Latin fragments use
-- customers_name_trgm_idx.
--
-- The tsvector is stored rather than computed in the index expression: PostgreSQL recomputes an expression
-- for every row it rechecks or filters (to_tsvector over Chinese tokens costs ~40 µs a row: seconds for a
-- query with tens of thousands of candidates), while a stored one is read. Adding it rewrites the table once.
ALTER TABLE customers ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_tokens)) STORED;
CREATE INDEX customers_search_vector_idx ON customers USING gin (search_vector);
DROP INDEX customers_search_idx;
CREATE INDEX customers_mobile_last4_idx ON customers (org_id, right(mobile, 4));

-- Progress of the search-token backfill: after the migrations, Kept recomputes the stored search_tokens of an
-- org's existing customers in batches (jieba runs in the application, so SQL cannot) until tokens_version is
-- the version the code writes. after_id is the last customer done (by id), so an interrupted backfill resumes.
CREATE TABLE customer_search_state (
  org_id uuid NOT NULL REFERENCES orgs (org_id),
  tokens_version integer NOT NULL DEFAULT 0,
  after_id uuid,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id)
);

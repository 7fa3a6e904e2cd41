-- Day-one defects (issue 7, points 11–14).
--
-- Customers sort by name in pinyin order: name_pinyin is the sort key written with the name (pinyin-pro in the
-- application: syllables without tones, then the name itself), compared byte-wise (COLLATE "C") so PGlite and
-- PostgreSQL agree whatever the database locale. SQL cannot compute pinyin: existing customers get theirs from
-- the search-token backfill that runs after the migrations (SEARCH_TOKENS_VERSION 3), which also adds the pinyin
-- and initials search tokens (wangjing, wj → 王静).
ALTER TABLE customers ADD COLUMN name_pinyin text COLLATE "C" NOT NULL DEFAULT '';
CREATE INDEX customers_name_pinyin_idx ON customers (org_id, name_pinyin, id);
DROP INDEX customers_name_idx;

-- Task types with coded outcomes (call back: reached / no answer / wrong number / call later). A built-in type
-- lives in code until an admin edits it; then its row here holds the org's labels and outcome codes.
CREATE TABLE task_types (
  org_id uuid NOT NULL REFERENCES orgs (org_id),
  key text NOT NULL,
  label jsonb NOT NULL DEFAULT '{}',
  outcomes jsonb NOT NULL DEFAULT '[]',
  active boolean NOT NULL DEFAULT true,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, key)
);

-- The outcome code a completed task of a coded type was closed with (outcome keeps the text).
ALTER TABLE tasks ADD COLUMN outcome_code text;

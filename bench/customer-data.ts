// Realistic customers for the benchmarks (Chinese names, mainland mobiles, addresses, e-mails: the demo data
// generator), bulk-loaded with multi-row INSERTs and the same search_tokens and name_normalized Kept writes.
import { randomUUID } from 'node:crypto';
import { customerSearchTokens, normalizeName } from '../src/modules/customers/index.ts';
import { generateDemoCustomers } from '../src/modules/demo/index.ts';
import type { Db } from '../src/platform/db/db.ts';
import { pinyinSortKey } from '../src/platform/search/pinyin.ts';
import { SEARCH_TOKENS_VERSION } from '../src/platform/search/tokens.ts';

export type GeneratedCustomer = ReturnType<typeof generateDemoCustomers>[number];

/** `total` customers in chunks (the generator keeps a chunk in memory), mobiles unique across all chunks. */
export function* customerChunks(
  total: number,
  seed = 20_260_922,
  chunk = 20_000,
): Generator<GeneratedCustomer[]> {
  const mobiles = new Set<string>();
  let made = 0;
  for (let round = 0; made < total; round++) {
    const want = Math.min(chunk, total - made);
    const batch = generateDemoCustomers(Math.ceil(want * 1.02) + 10, seed + round)
      .filter((c) => !c.mobile || !mobiles.has(c.mobile))
      .slice(0, want);
    for (const c of batch) if (c.mobile) mobiles.add(c.mobile);
    made += batch.length;
    yield batch;
  }
}

export interface LoadedCustomers {
  ids: string[];
  /** 2-character fragments of loaded names (e.g. 静怡 of 王静怡) and last-4 digits of loaded mobiles, to search. */
  nameFragments: string[];
  mobileEnds: string[];
}

const COLUMNS = `id uuid, kind text, name text, name_normalized text, mobile text, email text, phone text, address text,
  person_in_charge text, contact_person text, position text, gender text, birthday date, best_contact_time text,
  hobbies text, family_notes text, source_channel text, member_level text, tags text[], owner_id uuid,
  assigned_at timestamptz, search_tokens text, name_pinyin text, created_at timestamptz`;

/**
 * Inserts `total` customers into one org, 1,000 per statement, created over the past year (oldest first), owned
 * by `ownerId` or unassigned as the generator says; then marks the org's search tokens current and ANALYZEs.
 */
export async function bulkLoadCustomers(
  db: Db,
  orgId: string,
  ownerId: string,
  total: number,
  onProgress: (done: number) => void = () => undefined,
  seed = 20_260_922,
): Promise<LoadedCustomers> {
  const out: LoadedCustomers = { ids: [], nameFragments: [], mobileEnds: [] };
  const yearMs = 365 * 24 * 3600 * 1000;
  const start = Date.now() - yearMs;
  let done = 0;
  for (const chunk of customerChunks(total, seed)) {
    for (let i = 0; i < chunk.length; i += 1000) {
      const rows = chunk.slice(i, i + 1000).map((c, k) => {
        const id = randomUUID();
        out.ids.push(id);
        const n = done + k;
        if (n % 97 === 0) {
          const chars = [...c.name];
          if (c.kind === 'person' && chars.length >= 3) out.nameFragments.push(chars.slice(1, 3).join(''));
          else if (c.kind === 'person' && chars.length === 2) out.nameFragments.push(c.name);
          if (c.mobile) out.mobileEnds.push(c.mobile.slice(-4));
        }
        const createdAt = new Date(start + Math.floor((n * yearMs) / total)).toISOString();
        return {
          id,
          kind: c.kind,
          name: c.name,
          name_normalized: normalizeName(c.name, c.kind),
          mobile: c.mobile,
          email: c.email,
          phone: c.phone,
          address: c.address,
          person_in_charge: c.personInCharge,
          contact_person: c.contactPerson,
          position: c.position,
          gender: c.gender,
          birthday: c.birthday,
          best_contact_time: c.bestContactTime,
          hobbies: c.hobbies,
          family_notes: c.familyNotes,
          source_channel: c.sourceChannel,
          member_level: c.memberLevel,
          tags: c.tags,
          owner_id: c.ownerIndex === null ? null : ownerId,
          assigned_at: c.ownerIndex === null ? null : createdAt,
          search_tokens: customerSearchTokens({
            name: c.name,
            contact_person: c.contactPerson,
            person_in_charge: c.personInCharge,
            address: c.address,
            tags: c.tags,
            email: c.email,
          }),
          name_pinyin: pinyinSortKey(c.name),
          created_at: createdAt,
        };
      });
      await db.query(
        `INSERT INTO customers (org_id, id, kind, name, name_normalized, mobile, email, phone, address, person_in_charge,
           contact_person, position, gender, birthday, best_contact_time, hobbies, family_notes, source_channel,
           member_level, tags, owner_id, assigned_at, search_tokens, name_pinyin, created_by, created_at, updated_at)
         SELECT $1, r.id, r.kind, r.name, r.name_normalized, r.mobile, r.email, r.phone, r.address, r.person_in_charge,
           r.contact_person, r.position, r.gender, r.birthday, r.best_contact_time, r.hobbies, r.family_notes,
           r.source_channel, r.member_level, r.tags, r.owner_id, r.assigned_at, r.search_tokens, r.name_pinyin, $3, r.created_at, r.created_at
         FROM jsonb_to_recordset($2::jsonb) AS r(${COLUMNS})`,
        [orgId, JSON.stringify(rows), ownerId],
      );
      done += rows.length;
      onProgress(done);
    }
  }
  await db.query(
    `INSERT INTO customer_search_state (org_id, tokens_version) VALUES ($1, $2)
     ON CONFLICT (org_id) DO UPDATE SET tokens_version = EXCLUDED.tokens_version, after_id = NULL`,
    [orgId, SEARCH_TOKENS_VERSION],
  );
  await db.query('ANALYZE customers');
  return out;
}

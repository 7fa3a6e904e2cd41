// Deterministic generator of realistic Chinese demo customers for the demo organization 示例公司.
// Same (count, seed) → identical output; mobiles and e-mails are unique across the whole set,
// including company contacts. No I/O and no dependencies: a seeded mulberry32 PRNG drives everything.

import {
  type ActivityTemplate,
  BRANDS,
  BUSINESS_PRODUCTS,
  CITIES,
  type City,
  COMPANY_ACTIVITIES,
  COMPANY_CHANNEL_WEIGHTS,
  COMPANY_CONTACT_TIMES,
  COMPANY_MAILBOXES,
  COMPANY_TLDS,
  CONSUMER_PRODUCTS,
  CUSTOMER_NOTES,
  type Era,
  FAMILY_NOTES,
  GIVEN_NAMES,
  HOBBIES,
  INDUSTRIES,
  MEMBER_LEVELS,
  MOBILE_PREFIXES,
  OFFICE_BUILDINGS,
  OTHER_CONTACT_POSITIONS,
  PERSON_ACTIVITIES,
  PERSON_CHANNEL_WEIGHTS,
  PERSON_CONTACT_TIMES,
  PERSON_POSITIONS,
  PERSONAL_MAIL_DOMAINS,
  PRIMARY_CONTACT_POSITIONS,
  RESIDENCES,
  SOURCE_CHANNELS,
  type Spelled,
  SURNAMES,
} from './demo-data.tables.ts';

export const DEMO_ORGANIZATION_NAME = '示例公司';
/** ownerIndex 0 / 1 refer to these demo agents. */
export const DEMO_AGENT_EMAILS = ['agent@demo.kept', 'agent2@demo.kept'] as const;
/** Ages are computed relative to this year. */
export const DEMO_REFERENCE_YEAR = 2026;

export type DemoTag = 'VIP' | '回头客' | '价格敏感' | '企业采购' | '投诉过' | '潜在大客户' | '生日关怀';

export interface DemoContact {
  name: string;
  position: string;
  mobile: string | null;
  email: string | null;
  isPrimary: boolean;
}

export interface DemoActivity {
  kind: 'call' | 'message' | 'email' | 'visit' | 'meeting' | 'note';
  direction: 'inbound' | 'outbound' | null;
  subject: string;
  body: string;
  daysAgo: number;
}

export interface DemoCustomer {
  kind: 'person' | 'company';
  name: string;
  mobile: string | null;
  email: string | null;
  phone: string | null;
  address: string | null;
  personInCharge: string | null;
  contactPerson: string | null;
  position: string | null;
  gender: 'male' | 'female' | null;
  birthday: string | null;
  bestContactTime: string | null;
  hobbies: string | null;
  familyNotes: string | null;
  /** General notes (备注). */
  notes: string | null;
  sourceChannel: string;
  memberLevel: string | null;
  tags: string[];
  ownerIndex: number | null;
  contacts: DemoContact[];
  activities: DemoActivity[];
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  readonly float: () => number;
  constructor(seed: number) {
    this.float = mulberry32(seed);
  }
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.float() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)];
  }
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    const total = weights.reduce((sum, w) => sum + w, 0);
    let r = this.float() * total;
    for (let i = 0; i < items.length; i++) {
      r -= weights[i];
      if (r < 0) return items[i];
    }
    return items[items.length - 1];
  }
  pair<T>(pairs: readonly (readonly [T, number])[]): T {
    return this.weighted(
      pairs.map((p) => p[0]),
      pairs.map((p) => p[1]),
    );
  }
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.float() * (i + 1));
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }
  sample<T>(items: readonly T[], k: number): T[] {
    return this.shuffle([...items]).slice(0, k);
  }
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }
}

interface ChineseName {
  full: string;
  surname: string; // pinyin
  given: string; // pinyin
}

// Frequent surnames weigh more: 王 7, 李 5, 张 4 … tail 1.
const SURNAME_WEIGHTS = SURNAMES.map((_, i) => Math.max(1, Math.round(20 / (i + 3))));
const ERAS: readonly Era[] = ['old', 'mid', 'young'];
const ERA_YEARS: Record<Era, readonly [number, number]> = {
  old: [1961, 1975],
  mid: [1976, 1990],
  young: [1991, 2005],
};

class Generator {
  private readonly mobiles = new Set<string>();
  private readonly emails = new Set<string>();
  private readonly domains = new Set<string>();
  private readonly customerNames = new Set<string>();

  constructor(private readonly rng: Rng) {}

  name(gender: 'male' | 'female', era: Era): ChineseName {
    const surname: Spelled = this.rng.weighted(SURNAMES, SURNAME_WEIGHTS);
    const given: Spelled = this.rng.pick(GIVEN_NAMES[gender][era]);
    return { full: surname[0] + given[0], surname: surname[1], given: given[1] };
  }

  /** A candidate whose name no other customer uses yet (gives up after a few tries on huge sets). */
  uniqueCustomer<T>(make: () => T, nameOf: (candidate: T) => string): T {
    let candidate = make();
    for (let i = 0; i < 30 && this.customerNames.has(nameOf(candidate)); i++) candidate = make();
    this.customerNames.add(nameOf(candidate));
    return candidate;
  }

  mobile(): string {
    for (;;) {
      const number = `+86${this.rng.pick(MOBILE_PREFIXES)}${this.rng.digits(8)}`;
      if (!this.mobiles.has(number)) {
        this.mobiles.add(number);
        return number;
      }
    }
  }

  /** Registers the first free address among the candidates, then falls back to numeric suffixes. */
  email(localParts: readonly string[], domain: string): string {
    for (const local of localParts) {
      const address = `${local}@${domain}`;
      if (!this.emails.has(address)) {
        this.emails.add(address);
        return address;
      }
    }
    for (;;) {
      const address = `${localParts[0]}${this.rng.int(1, 9999)}@${domain}`;
      if (!this.emails.has(address)) {
        this.emails.add(address);
        return address;
      }
    }
  }

  personalEmail(n: ChineseName, birthYear: number | null): string {
    const domain = this.rng.pair(PERSONAL_MAIL_DOMAINS);
    if (domain === 'qq.com' && this.rng.chance(0.6)) {
      return this.email([String(this.rng.int(1, 9)) + this.rng.digits(this.rng.int(7, 9))], domain);
    }
    const yy = String(birthYear ?? this.rng.int(1970, 2005)).slice(2);
    const formats = [
      `${n.surname}.${n.given}`,
      `${n.surname}${n.given}`,
      `${n.given}.${n.surname}`,
      `${n.surname}${n.given}${yy}`,
      `${n.surname}_${n.given}`,
      `${n.given}${n.surname}${this.rng.int(1, 99)}`,
    ];
    const first = this.rng.int(0, formats.length - 1);
    return this.email([...formats.slice(first), ...formats.slice(0, first)], domain);
  }

  companyDomain(brand: string, industry: string, city: City): string {
    const tld = this.rng.pair(COMPANY_TLDS);
    const candidates = [`${brand}-${industry}.${tld}`, `${brand}${industry}.com`, `${city.slug}${brand}.com`];
    const first = this.rng.chance(0.6) ? 0 : 1;
    for (const domain of [...candidates.slice(first), ...candidates.slice(0, first)]) {
      if (!this.domains.has(domain)) {
        this.domains.add(domain);
        return domain;
      }
    }
    for (;;) {
      const domain = `${brand}${this.rng.int(10, 999)}.com`;
      if (!this.domains.has(domain)) {
        this.domains.add(domain);
        return domain;
      }
    }
  }

  landline(city: City): string {
    return `${city.areaCode}-${this.rng.int(2, 8)}${this.rng.digits(3)} ${this.rng.digits(4)}`;
  }

  city(): City {
    return this.rng.weighted(
      CITIES,
      CITIES.map((c) => c.weight),
    );
  }

  officeAddress(city: City): string {
    const district = this.rng.pick(city.districts);
    const base = `${city.name}市${district.name}${this.rng.pick(district.streets)} ${this.rng.int(1, 1200)} 号`;
    const floor = this.rng.int(2, 38);
    switch (this.rng.int(0, 2)) {
      case 0:
        return `${base} ${floor} 楼`;
      case 1:
        return `${base}${this.rng.pick(OFFICE_BUILDINGS)} ${floor} 层 ${floor}${this.rng.int(1, 20).toString().padStart(2, '0')} 室`;
      default:
        return `${base} ${this.rng.int(1, 8)} 号楼 ${this.rng.int(1, 6)} 层`;
    }
  }

  homeAddress(city: City): string {
    const district = this.rng.pick(city.districts);
    const street = this.rng.pick(district.streets);
    const room = `${this.rng.int(1, 28)}0${this.rng.int(1, 4)}`;
    if (city.name === '上海') {
      return `上海市${district.name}${street} ${this.rng.int(10, 1500)} 弄 ${this.rng.int(1, 40)} 号 ${room} 室`;
    }
    return `${city.name}市${district.name}${street} ${this.rng.int(1, 999)} 号${this.rng.pick(RESIDENCES)} ${this.rng.int(1, 20)} 栋 ${this.rng.int(1, 4)} 单元 ${room} 室`;
  }

  activities(
    pool: readonly ActivityTemplate[],
    fill: Record<string, string>,
  ): { activities: DemoActivity[]; complaint: boolean } {
    const count = this.rng.weighted([0, 1, 2, 3, 4], [15, 25, 25, 20, 15]);
    const chosen = this.rng.sample(pool, count);
    const activities = chosen
      .map((t) => ({
        kind: t.kind,
        direction: t.direction,
        subject: t.subject,
        body: t.body.replace(/\{(\w+)\}/g, (_, key: string) => fill[key] ?? ''),
        daysAgo: this.rng.int(0, 120),
      }))
      .sort((a, b) => b.daysAgo - a.daysAgo);
    return { activities, complaint: chosen.some((t) => t.complaint === true) };
  }

  tags(opts: { company: boolean; complaint: boolean; level: string | null; birthday: boolean }): string[] {
    const tags: DemoTag[] = [];
    if (opts.complaint) tags.push('投诉过');
    if ((opts.level === '金卡会员' || opts.level === '钻石会员') && this.rng.chance(0.7)) tags.push('VIP');
    if (opts.company && this.rng.chance(0.65)) tags.push('企业采购');
    if (this.rng.chance(opts.company ? 0.25 : 0.04)) tags.push('潜在大客户');
    if (opts.birthday && this.rng.chance(0.3)) tags.push('生日关怀');
    if (this.rng.chance(0.25)) tags.push('回头客');
    if (this.rng.chance(0.2)) tags.push('价格敏感');
    return tags.slice(0, 3);
  }

  person(ownerIndex: number | null): DemoCustomer {
    const rng = this.rng;
    const gender = rng.chance(0.52) ? 'female' : 'male';
    const era = rng.weighted(ERAS, [25, 40, 35]);
    const [fromYear, toYear] = ERA_YEARS[era];
    const birthYear = rng.int(fromYear, toYear);
    const age = DEMO_REFERENCE_YEAR - birthYear;
    const spelled = this.uniqueCustomer(
      () => this.name(gender, era),
      (n) => n.full,
    );
    const name = spelled.full;
    const city = this.city();
    const birthday = rng.chance(0.7)
      ? new Date(Date.UTC(birthYear, 0, 1) + rng.int(0, 364) * 86_400_000).toISOString().slice(0, 10)
      : null;
    const memberLevel = rng.chance(0.8) ? rng.pair(MEMBER_LEVELS) : null;
    const pool = PERSON_ACTIVITIES.filter(
      (t) => (t.subject !== '生日祝福短信' || birthday) && (t.subject !== '会员等级调整' || memberLevel),
    );
    const { activities, complaint } = this.activities(pool, { item: rng.pick(CONSUMER_PRODUCTS) });
    const hobbyCount = rng.weighted([1, 2, 3], [45, 40, 15]);
    return {
      kind: 'person',
      name,
      mobile: rng.chance(0.95) ? this.mobile() : null,
      email: rng.chance(0.55) ? this.personalEmail(spelled, birthYear) : null,
      phone: rng.chance(0.08) ? this.landline(city) : null,
      address: rng.chance(0.65) ? this.homeAddress(city) : null,
      personInCharge: null,
      contactPerson: null,
      position: age < 60 && rng.chance(0.35) ? rng.pick(PERSON_POSITIONS) : null,
      gender,
      birthday,
      bestContactTime: rng.chance(0.6) ? rng.pick(PERSON_CONTACT_TIMES) : null,
      hobbies: rng.chance(0.4) ? rng.sample(HOBBIES[era], hobbyCount).join('、') : null,
      familyNotes: rng.chance(0.25) ? rng.pick(FAMILY_NOTES[era]) : null,
      notes: null,
      sourceChannel: rng.weighted(SOURCE_CHANNELS, PERSON_CHANNEL_WEIGHTS),
      memberLevel,
      tags: this.tags({ company: false, complaint, level: memberLevel, birthday: birthday !== null }),
      ownerIndex,
      contacts: [],
      activities,
    };
  }

  contactEmail(n: ChineseName, domain: string): string {
    if (this.rng.chance(0.25)) return this.personalEmail(n, null);
    const formats = [`${n.surname}.${n.given}`, `${n.given}.${n.surname}`, `${n.surname}${n.given}`];
    return this.email(this.rng.shuffle(formats), domain);
  }

  company(ownerIndex: number | null): DemoCustomer {
    const rng = this.rng;
    const adult = (): ChineseName =>
      this.name(rng.chance(0.5) ? 'male' : 'female', rng.weighted(ERAS, [30, 50, 20]));
    const { city, brand, industry } = this.uniqueCustomer(
      () => ({ city: this.city(), brand: rng.pick(BRANDS), industry: rng.pick(INDUSTRIES) }),
      (c) => `${c.city.name}${c.brand[0]}${c.industry[0]}有限公司`,
    );
    const name = `${city.name}${brand[0]}${industry[0]}有限公司`;
    const domain = this.companyDomain(brand[1], industry[1], city);
    const boss = rng.chance(0.9) ? adult() : null;

    const contactCount = rng.weighted([1, 2, 3], [50, 35, 15]);
    const positions = [rng.pick(PRIMARY_CONTACT_POSITIONS), ...rng.sample(OTHER_CONTACT_POSITIONS, 2)];
    const contacts: DemoContact[] = [];
    for (let i = 0; i < contactCount; i++) {
      const isBoss = i === 1 && boss !== null && rng.chance(0.35);
      const person = isBoss && boss ? boss : adult();
      contacts.push({
        name: person.full,
        position: isBoss ? '总经理' : positions[i],
        mobile: rng.chance(0.9) ? this.mobile() : null,
        email: rng.chance(0.6) ? this.contactEmail(person, domain) : null,
        isPrimary: i === 0,
      });
    }
    const primary = contacts[0];
    const memberLevel = rng.chance(0.25) ? rng.pair(MEMBER_LEVELS) : null;
    const pool = COMPANY_ACTIVITIES.filter((t) => boss || !t.body.includes('{pic}'));
    const { activities, complaint } = this.activities(pool, {
      product: rng.pick(BUSINESS_PRODUCTS),
      contact: primary.name,
      pic: boss?.full ?? primary.name,
    });
    return {
      kind: 'company',
      name,
      mobile: rng.chance(0.95) ? this.mobile() : null,
      email: rng.chance(0.7) ? this.email([rng.pick(COMPANY_MAILBOXES)], domain) : null,
      phone: rng.chance(0.95) ? this.landline(city) : null,
      address: rng.chance(0.95) ? this.officeAddress(city) : null,
      personInCharge: boss?.full ?? null,
      contactPerson: primary.name,
      position: primary.position,
      gender: null,
      birthday: null,
      bestContactTime: rng.chance(0.7) ? rng.pick(COMPANY_CONTACT_TIMES) : null,
      hobbies: null,
      familyNotes: null,
      notes: null,
      sourceChannel: rng.weighted(SOURCE_CHANNELS, COMPANY_CHANNEL_WEIGHTS),
      memberLevel,
      tags: this.tags({ company: true, complaint, level: memberLevel, birthday: false }),
      ownerIndex,
      contacts,
      activities,
    };
  }
}

/**
 * Generates `count` demo customers (about 70% persons, 30% companies; owners 40% / 40% / 20%
 * unassigned). Deterministic for a given (count, seed).
 */
export function generateDemoCustomers(count = 200, seed = 20260922): DemoCustomer[] {
  if (!Number.isInteger(count) || count < 0)
    throw new RangeError(`count must be a non-negative integer: ${count}`);
  const rng = new Rng(seed);
  const companies = Math.round(count * 0.3);
  const kinds = rng.shuffle(
    Array.from({ length: count }, (_, i): 'person' | 'company' => (i < companies ? 'company' : 'person')),
  );
  const agent0 = Math.round(count * 0.4);
  const agent1 = Math.round(count * 0.4);
  const owners = rng.shuffle(
    Array.from({ length: count }, (_, i) => (i < agent0 ? 0 : i < agent0 + agent1 ? 1 : null)),
  );
  const generator = new Generator(rng);
  const customers = kinds.map((kind, i) =>
    kind === 'company' ? generator.company(owners[i]) : generator.person(owners[i]),
  );
  // Notes come from a stream of their own, so the customers above stay what they were for a seed.
  const notesRng = new Rng(seed ^ 0x5eed_0017);
  for (const c of customers) if (notesRng.chance(0.2)) c.notes = notesRng.pick(CUSTOMER_NOTES[c.kind]);
  return customers;
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CITIES } from './demo-data.tables.ts';
import { type DemoCustomer, generateDemoCustomers } from './demo-data.ts';

const SEEDS = [20260922, 1, 42, 987654321];
const MOBILE = /^\+861[3-9]\d{9}$/;
const EMAIL =
  /^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9-]+)*\.[a-z]{2,}$/;
const CJK_NAME = /^[\u4e00-\u9fff]{2,4}$/;
const LANDLINE = /^0\d{2,3}-[2-8]\d{3} \d{4}$/;
const CHANNELS = ['门店', '400热线', '官网', '天猫旗舰店', '京东店铺', '微信公众号', '展会', '老客户介绍'];
const LEVELS = ['普通会员', '银卡会员', '金卡会员', '钻石会员'];
const TAGS = ['VIP', '回头客', '价格敏感', '企业采购', '投诉过', '潜在大客户', '生日关怀'];
const ACTIVITY_KINDS = ['call', 'message', 'email', 'visit', 'meeting', 'note'];

const bySeed = new Map(SEEDS.map((seed) => [seed, generateDemoCustomers(200, seed)]));

function forEachSet(check: (customers: DemoCustomer[], seed: number) => void): void {
  for (const [seed, customers] of bySeed) check(customers, seed);
}

function mobilesOf(customers: DemoCustomer[]): string[] {
  return customers.flatMap((c) => [c.mobile, ...c.contacts.map((p) => p.mobile)]).filter((m) => m !== null);
}

function emailsOf(customers: DemoCustomer[]): string[] {
  return customers.flatMap((c) => [c.email, ...c.contacts.map((p) => p.email)]).filter((e) => e !== null);
}

function ageOn(birthday: string, on: string): number {
  const [by, bm, bd] = birthday.split('-').map(Number);
  const [y, m, d] = on.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

function share(customers: DemoCustomer[], predicate: (c: DemoCustomer) => boolean): number {
  return customers.filter(predicate).length / customers.length;
}

test('generates 200 customers by default and honours count', () => {
  assert.equal(generateDemoCustomers().length, 200);
  assert.equal(generateDemoCustomers(37, 5).length, 37);
  assert.deepEqual(generateDemoCustomers(0), []);
  assert.throws(() => generateDemoCustomers(-1), RangeError);
  assert.throws(() => generateDemoCustomers(2.5), RangeError);
});

test('is deterministic for a seed and different for another seed', () => {
  assert.deepEqual(generateDemoCustomers(), generateDemoCustomers(200, 20260922));
  assert.deepEqual(generateDemoCustomers(200, 42), bySeed.get(42));
  assert.notDeepEqual(generateDemoCustomers(200, 1), generateDemoCustomers(200, 2));
});

test('some customers carry notes (备注) of their kind', () => {
  forEachSet((customers) => {
    const withNotes = share(customers, (c) => c.notes !== null);
    assert.ok(withNotes >= 0.1 && withNotes <= 0.3, `notes share ${withNotes}`);
    for (const c of customers.filter((x) => x.kind === 'company' && x.notes))
      assert.doesNotMatch(c.notes!, /导购|过敏/, 'company notes are about a company');
  });
});

test('about 70% persons and 30% companies', () => {
  forEachSet((customers) => {
    const persons = share(customers, (c) => c.kind === 'person');
    assert.ok(persons >= 0.65 && persons <= 0.75, `persons share ${persons}`);
  });
});

test('mobiles are mainland numbers, unique across customers and contacts', () => {
  forEachSet((customers, seed) => {
    const mobiles = mobilesOf(customers);
    for (const m of mobiles) assert.match(m, MOBILE);
    assert.equal(new Set(mobiles).size, mobiles.length, `duplicate mobile for seed ${seed}`);
    const withMobile = share(customers, (c) => c.mobile !== null);
    assert.ok(withMobile >= 0.85 && withMobile <= 1, `mobile share ${withMobile}`);
  });
});

test('emails are valid, lowercase and unique across customers and contacts', () => {
  forEachSet((customers, seed) => {
    const emails = emailsOf(customers);
    for (const e of emails) assert.match(e, EMAIL);
    assert.equal(new Set(emails).size, emails.length, `duplicate email for seed ${seed}`);
    const withEmail = share(customers, (c) => c.email !== null);
    assert.ok(withEmail >= 0.45 && withEmail <= 0.75, `email share ${withEmail}`);
  });
});

test('every company has 1–3 contacts with exactly one primary; persons have none', () => {
  forEachSet((customers) => {
    for (const c of customers) {
      if (c.kind === 'person') {
        assert.deepEqual(c.contacts, []);
        continue;
      }
      assert.ok(c.contacts.length >= 1 && c.contacts.length <= 3, c.name);
      assert.equal(c.contacts.filter((p) => p.isPrimary).length, 1, c.name);
      assert.equal(c.contactPerson, c.contacts.find((p) => p.isPrimary)?.name);
      for (const p of c.contacts) assert.match(p.name, CJK_NAME);
      assert.match(c.name, /^[\u4e00-\u9fff]+有限公司$/);
    }
  });
});

test('birthdays are valid dates giving ages 20–65 in 2026', () => {
  forEachSet((customers) => {
    const persons = customers.filter((c) => c.kind === 'person');
    for (const c of customers) {
      if (c.birthday === null) continue;
      assert.equal(c.kind, 'person');
      assert.match(c.birthday, /^\d{4}-\d{2}-\d{2}$/);
      const parsed = new Date(`${c.birthday}T00:00:00Z`);
      assert.ok(!Number.isNaN(parsed.getTime()), c.birthday);
      assert.equal(parsed.toISOString().slice(0, 10), c.birthday, 'date must round-trip');
      for (const on of ['2026-01-01', '2026-12-31']) {
        const age = ageOn(c.birthday, on);
        assert.ok(age >= 20 && age <= 65, `${c.birthday} is ${age} on ${on}`);
      }
    }
    const withBirthday = share(persons, (c) => c.birthday !== null);
    assert.ok(withBirthday >= 0.55 && withBirthday <= 0.85, `birthday share ${withBirthday}`);
  });
});

test('ownerIndex is roughly 40% / 40% / 20% (±10 percentage points)', () => {
  forEachSet((customers) => {
    const expected: [number | null, number][] = [
      [0, 0.4],
      [1, 0.4],
      [null, 0.2],
    ];
    for (const [owner, target] of expected) {
      const actual = share(customers, (c) => c.ownerIndex === owner);
      assert.ok(Math.abs(actual - target) <= 0.1, `owner ${owner}: ${actual}`);
    }
  });
});

test('person names are 2–4 CJK characters and persons carry person-only fields', () => {
  forEachSet((customers) => {
    for (const c of customers.filter((x) => x.kind === 'person')) {
      assert.match(c.name, CJK_NAME);
      assert.ok(c.gender === 'male' || c.gender === 'female');
      assert.equal(c.personInCharge, null);
    }
    for (const c of customers.filter((x) => x.kind === 'company')) {
      assert.equal(c.gender, null);
      assert.equal(c.birthday, null);
    }
  });
});

test('enumerated fields use the allowed values', () => {
  forEachSet((customers) => {
    for (const c of customers) {
      assert.ok(CHANNELS.includes(c.sourceChannel), c.sourceChannel);
      assert.ok(c.memberLevel === null || LEVELS.includes(c.memberLevel), String(c.memberLevel));
      assert.ok(c.tags.length <= 3);
      assert.equal(new Set(c.tags).size, c.tags.length);
      for (const t of c.tags) assert.ok(TAGS.includes(t), t);
      assert.ok(c.activities.length <= 4);
      for (const a of c.activities) {
        assert.ok(ACTIVITY_KINDS.includes(a.kind), a.kind);
        assert.ok(a.direction === null || a.direction === 'inbound' || a.direction === 'outbound');
        assert.ok(Number.isInteger(a.daysAgo) && a.daysAgo >= 0 && a.daysAgo <= 120);
        assert.ok(a.subject.length > 0 && a.body.length > 0);
      }
    }
  });
});

test('landlines use the area code of the address city', () => {
  forEachSet((customers) => {
    for (const c of customers) {
      if (c.kind === 'company') assert.ok(c.phone === null || LANDLINE.test(c.phone), String(c.phone));
      if (c.phone === null || c.address === null) continue;
      assert.match(c.phone, LANDLINE);
      const city = CITIES.find((x) => c.address?.startsWith(`${x.name}市`));
      assert.ok(city, c.address);
      assert.ok(c.phone.startsWith(`${city.areaCode}-`), `${c.phone} vs ${c.address}`);
    }
  });
});

test('no field contains undefined and no template placeholder is left', () => {
  const visit = (value: unknown, path: string): void => {
    assert.notEqual(value, undefined, `${path} is undefined`);
    if (typeof value === 'string') {
      assert.ok(!value.includes('undefined') && !/[{}]/.test(value), `${path}: ${value}`);
    } else if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) visit(item, `${path}[${i}]`);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) visit(item, `${path}.${key}`);
    }
  };
  forEachSet((customers, seed) => {
    for (const [i, c] of customers.entries()) visit(c, `seed ${seed} #${i}`);
  });
});

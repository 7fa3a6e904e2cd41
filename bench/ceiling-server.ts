// The ceiling for `npm run bench -- api`: the least a Node service can do for the same three customer routes —
// Fastify + pg + zod (validated body, serialized response), one SQL statement each, no auth, no audit, no rules —
// on the same customers table. Run as its own process: DATABASE_URL, BENCH_ORG_ID, PORT (0 = any free port).
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import pg from 'pg';
import { z } from 'zod';

const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.KEPT_PG_POOL_SIZE ?? 10),
});
const orgId = process.env.BENCH_ORG_ID;

const CustomerIn = z.object({
  kind: z.enum(['person', 'company']).default('person'),
  name: z.string().trim().min(1).max(200),
  mobile: z
    .string()
    .regex(/^1[3-9]\d{9}$/)
    .nullable()
    .optional(),
  email: z.email().max(254).nullable().optional(),
});
const CustomerOut = z.object({
  id: z.string(),
  kind: z.string(),
  name: z.string(),
  mobile: z.string().nullable(),
  email: z.string().nullable(),
  status: z.string(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
type Row = {
  id: string;
  kind: string;
  name: string;
  mobile: string | null;
  email: string | null;
  status: string;
  version: number;
  created_at: Date;
  updated_at: Date;
};
const present = (r: Row) => ({
  id: r.id,
  kind: r.kind,
  name: r.name,
  mobile: r.mobile,
  email: r.email,
  status: r.status,
  version: r.version,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

const app = Fastify({ logger: false }).withTypeProvider<ZodTypeProvider>();
app.setValidatorCompiler(validatorCompiler);
app.setSerializerCompiler(serializerCompiler);

app.post(
  '/customers',
  { schema: { body: CustomerIn, response: { 201: CustomerOut } } },
  async (req, reply) => {
    const b = req.body;
    const r = await pool.query<Row>(
      `INSERT INTO customers (org_id, id, kind, name, name_normalized, mobile, email)
     VALUES ($1, gen_random_uuid(), $2, $3, lower($3), $4, $5) RETURNING *`,
      [orgId, b.kind, b.name, b.mobile ? `+86${b.mobile}` : null, b.email?.toLowerCase() ?? null],
    );
    reply.status(201);
    return present(r.rows[0]);
  },
);

app.get(
  '/customers/:id',
  {
    schema: {
      params: z.object({ id: z.uuid() }),
      response: { 200: CustomerOut, 404: z.object({ error: z.string() }) },
    },
  },
  async (req, reply) => {
    const r = await pool.query<Row>('SELECT * FROM customers WHERE org_id = $1 AND id = $2', [
      orgId,
      req.params.id,
    ]);
    if (!r.rows[0]) return reply.status(404).send({ error: 'not found' });
    return present(r.rows[0]);
  },
);

app.get(
  '/customers',
  {
    schema: {
      querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
      response: { 200: z.object({ items: z.array(CustomerOut) }) },
    },
  },
  async (req) => {
    const r = await pool.query<Row>(
      "SELECT * FROM customers WHERE org_id = $1 AND status = 'active' ORDER BY created_at DESC, id DESC LIMIT $2",
      [orgId, req.query.limit],
    );
    return { items: r.rows.map(present) };
  },
);

await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
const addr = app.server.address();
process.stdout.write(`ceiling listening on ${typeof addr === 'object' && addr ? addr.port : '?'}\n`);
const stop = async () => {
  await app.close();
  await pool.end();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());

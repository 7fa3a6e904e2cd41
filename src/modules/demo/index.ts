// The demo module's public door: the demo organization 示例公司 and its generated customers.
export { DEMO_ORGANIZATION_NAME, generateDemoCustomers } from './demo-data.ts';
export { DEMO_SLUG, DEMO_USERS, demoPassword, seedDemo, seedDemoCustomers, seedDemoOrg } from './seed.ts';

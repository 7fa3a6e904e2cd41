#!/usr/bin/env node
// The `kept` command: runs the TypeScript sources through tsx (Node 20 has no type stripping).
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');

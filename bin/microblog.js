#!/usr/bin/env node
// The `microblog` command. tsx runs the TypeScript sources directly.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');

#!/usr/bin/env node
// Package bin: run the TypeScript CLI through tsx's loader (no build step).
import { register } from 'tsx/esm/api';
register();
const { runCli } = await import('../src/cli.ts');
await runCli(process.argv.slice(2));

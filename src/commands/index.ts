/** Every CLI command, in the order `depthlimit --help` lists them. Add one line per command. */
import type { CommandSpec } from './spec.ts';
import { command as claims } from './claims.ts';
import { command as proofs } from './proofs.ts';
import { command as adjointGap } from './adjoint-gap.ts';
import { command as figures } from './figures.ts';
import { command as converge } from './converge.ts';
import { command as derive } from './derive.ts';
import { command as hamiltonian } from './hamiltonian.ts';
import { command as stability } from './stability.ts';
import { command as gamma } from './gamma.ts';
import { command as notebook } from './notebook.ts';
import { command as grid } from './grid.ts';

export const commands: CommandSpec[] = [
  claims,
  proofs,
  adjointGap,
  figures,
  converge,
  derive,
  stability,
  hamiltonian,
  gamma,
  notebook,
  grid,
];

/**
 * The project's one mathjs instance, built by `create` from only what it uses: the parser
 * (with its node classes) and `derivative` (always called with `simplify: false`, which
 * evaluates nothing, so no function implementations are needed). Importing named functions
 * from 'mathjs/number' instead would build the whole library (≈0.8 s at start-up); from this
 * instance the bundler keeps only these factories (≈0.02 s).
 */
import { create, derivativeDependencies, parseDependencies } from 'mathjs/number';

// mathjs's types declare every *Dependencies map as possibly undefined; both exist in 15.x.
const math = create({ parseDependencies: parseDependencies!, derivativeDependencies: derivativeDependencies! });

export const { parse, derivative, ConstantNode, OperatorNode, ParenthesisNode } = math;
export type { MathNode } from 'mathjs/number';

process.argv.push('sizes=1')
const { releaseInput, synthetic } = await import('./test/bench/disclosure-release.ts')
import { highsSolver } from './analysis/disclosure-control/highs-solver.js'
import { protectLinkedRelease } from './analysis/disclosure-control/protect-linked-release.js'
const out = protectLinkedRelease(releaseInput(synthetic(300)), await highsSolver())
for (const t of out.tables.filter((t) => t.family === 'strangled_ever' || t.family === 'any_physical_ever')) console.log(t.family, t.breakdown.join('×') || 'total', t.cells.map((c) => `${Object.values(c.group).join('/')}:${c.yes}/${c.n}${c.rule === null ? '' : '*' + c.rule.slice(0, 4)}`).join(' '))
console.log(out.audit.cells.filter((c) => c.problem).map((c) => [c.family, c.group, c.n, c.yes, c.no, c.blockers]))

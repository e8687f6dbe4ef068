import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import ts from 'typescript'

/**
 * The import graph of our own TypeScript, read with the compiler's parser (no type checking, so a few
 * hundred files take well under a second): every relative import and re-export, static or dynamic, with
 * whether it is type-only. Packages are left out; only our folders' layering is in question.
 */

export interface ImportEdge {
  /** Repository-relative path of the imported file. */
  to: string
  typeOnly: boolean
}

/** Repository-relative file → what it imports. */
export type ImportGraph = Map<string, ImportEdge[]>

const SKIPPED = new Set(['node_modules', 'dist', 'data'])

function sourceFiles (dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIPPED.has(entry.name) || entry.name.startsWith('.')) return []
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : []
  })
}

/** The file a relative specifier names: `./x.js` is `./x.ts` in our sources (NodeNext suffixes). */
function resolveSpecifier (fromFile: string, specifier: string): string | undefined {
  const base = resolve(dirname(fromFile), specifier)
  for (const candidate of [base.replace(/\.js$/, '.ts'), base, `${base}.ts`, join(base, 'index.ts')]) {
    if (candidate.endsWith('.ts') && existsSync(candidate)) return candidate
  }
  return undefined
}

function isTypeOnlyImport (node: ts.ImportDeclaration): boolean {
  const clause = node.importClause
  if (clause === undefined) return false // a side-effect import runs the module
  if (clause.isTypeOnly) return true
  const bindings = clause.namedBindings
  return clause.name === undefined && bindings !== undefined && ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 && bindings.elements.every((element) => element.isTypeOnly)
}

function importsOf (file: string): Array<{ specifier: string, typeOnly: boolean }> {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS)
  const found: Array<{ specifier: string, typeOnly: boolean }> = []
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: isTypeOnlyImport(node) })
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly })
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments
      if (argument !== undefined && ts.isStringLiteral(argument)) found.push({ specifier: argument.text, typeOnly: false })
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push({ specifier: node.argument.literal.text, typeOnly: true })
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

/** The graph of every .ts file under `folders` (relative to `root`). */
export function buildImportGraph (root: string, folders: readonly string[]): ImportGraph {
  const graph: ImportGraph = new Map()
  for (const folder of folders) {
    for (const file of sourceFiles(join(root, folder))) {
      const edges: ImportEdge[] = []
      for (const { specifier, typeOnly } of importsOf(file)) {
        if (!specifier.startsWith('.')) continue
        const target = resolveSpecifier(file, specifier)
        if (target !== undefined) edges.push({ to: relative(root, target), typeOnly })
      }
      graph.set(relative(root, file), edges)
    }
  }
  return graph
}

/**
 * Every import circle, as the files of one strongly connected component (Tarjan's algorithm), each sorted;
 * type-only imports count, since a circle of types still ties two modules into one.
 */
export function findCycles (graph: ImportGraph): string[][] {
  let counter = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const cycles: string[][] = []
  const connect = (file: string): void => {
    index.set(file, counter)
    low.set(file, counter)
    counter += 1
    stack.push(file)
    onStack.add(file)
    for (const { to } of graph.get(file) ?? []) {
      if (!graph.has(to)) continue
      if (!index.has(to)) {
        connect(to)
        low.set(file, Math.min(low.get(file)!, low.get(to)!))
      } else if (onStack.has(to)) {
        low.set(file, Math.min(low.get(file)!, index.get(to)!))
      }
    }
    if (low.get(file) !== index.get(file)) return
    const component: string[] = []
    let member: string
    do {
      member = stack.pop()!
      onStack.delete(member)
      component.push(member)
    } while (member !== file)
    const selfImport = (graph.get(file) ?? []).some((edge) => edge.to === file)
    if (component.length > 1 || selfImport) cycles.push(component.sort())
  }
  for (const file of [...graph.keys()].sort()) if (!index.has(file)) connect(file)
  return cycles
}

/** A folder (or file) that may not import another; `typesAllowed` lets `import type` through. */
export interface LayerRule {
  from: string
  mayNotImport: string
  typesAllowed?: boolean
  /** Files or folders under `from` the rule leaves alone. */
  except?: readonly string[]
}

const within = (file: string, prefix: string): boolean => file === prefix || file.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`)

/** Every import that runs against a rule, as 'from → to (rule)'. */
export function layerViolations (graph: ImportGraph, rules: readonly LayerRule[]): string[] {
  const found: string[] = []
  for (const [file, edges] of graph) {
    for (const rule of rules) {
      if (!within(file, rule.from) || (rule.except ?? []).some((excepted) => within(file, excepted))) continue
      for (const edge of edges) {
        if (!within(edge.to, rule.mayNotImport)) continue
        if (rule.typesAllowed === true && edge.typeOnly) continue
        found.push(`${file} → ${edge.to} (${rule.from} may not import ${rule.mayNotImport}${rule.typesAllowed === true ? ' except types' : ''})`)
      }
    }
  }
  return found.sort()
}

// Where Bash evaluates text as code although it looks like data. A variable's value is
// arithmetic-evaluated in (( )), $(( )), $[ ], for (( )), [[ a -eq b ]], array subscripts and
// substring offsets, and an arithmetic expression that names `a[$(cmd)]` runs cmd:
//   d='$'; x="a[${d}(touch pwned)]"; (( x ))        runs touch
// Likewise ${!x} (indirection), ${x@P} (prompt expansion), [[ -v a[…] ]], assignments to
// RANDOM/OPTIND/…, and subscripted assignments. Proving the values harmless would mean tracking
// every way a variable gets its value (read, loops, the environment …), so this fails closed:
// any such construct that is not a plain number makes the command opaque (the gate cannot see
// what runs) and only the person, an exact rule, or `Bash` without deny rules may allow it.
import { forEachChild, type ParameterExpansionPart, type SyntaxNode, type TestExpression, type Word } from 'unbash';
import { isUnsafeEnvName } from './env';

/** Variables whose assigned value Bash evaluates as arithmetic even without `declare -i`. */
export const ARITHMETIC_SPECIALS = new Set(['RANDOM', 'SRANDOM', 'OPTIND', 'HISTCMD']);

const NUMBER = /^\s*[-+]?\s*(\d+|0[xX][\da-fA-F]+|\d+#[\da-zA-Z@_]+)\s*$/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** `[[ … ]]` operators whose operands are arithmetic expressions. */
const ARITHMETIC_TESTS = new Set(['-eq', '-ne', '-lt', '-le', '-gt', '-ge']);
/** Parameter transformations that only quote or re-case text (`@P` runs prompt expansion). */
const INERT_TRANSFORMS = new Set(['Q', 'E', 'U', 'u', 'L', 'a', 'A', 'K', 'k']);

/** Nodes with their own parts and a body: each is checked where it stands, not by its parent. */
const OWN_SCOPE = new Set<SyntaxNode['type']>([
  'Script',
  'Statement',
  'CompoundList',
  'Pipeline',
  'AndOr',
  'Command',
  'If',
  'Elif',
  'While',
  'Subshell',
  'BraceGroup',
  'Case',
  'For',
  'Select',
  'ArithmeticFor',
  'ArithmeticCommand',
  'TestCommand',
  'Function',
  'Coproc',
  'Redirected',
]);

export function isNumericLiteral(text: string): boolean {
  return NUMBER.test(text);
}

/**
 * Why Bash would evaluate variable text as code in `root`'s own parts (its words, assignments,
 * redirections, arithmetic, tests; not the commands in its body or in substitutions, which
 * are checked on their own), or undefined.
 */
export function evaluationReason(root: SyntaxNode): string | undefined {
  let reason: string | undefined;
  const visit = (node: SyntaxNode): void => {
    if (reason) return;
    if (node !== root && OWN_SCOPE.has(node.type)) return;
    reason = ownReason(node);
    if (!reason) forEachChild(node, visit);
  };
  visit(root);
  return reason;
}

function ownReason(node: SyntaxNode): string | undefined {
  switch (node.type) {
    case 'ArithmeticCommand':
    case 'ArithmeticExpansion':
      if (!node.expression) return 'it has an arithmetic expression the checker cannot read';
      return arithmeticReason(node.expression);
    case 'ArithmeticFor':
      for (const part of [node.initialize, node.test, node.update]) {
        const why = part && arithmeticReason(part);
        if (why) return why;
      }
      return undefined;
    case 'ParameterExpansion':
      return expansionReason(node);
    case 'TestCommand':
      return testReason(node.expression);
    case 'Assignment': {
      if (node.index && !isNumericLiteral(node.index.text))
        return `the subscript in ${node.name}[${node.index.text}]= is evaluated as arithmetic, which can run code`;
      if (ARITHMETIC_SPECIALS.has(node.name) && (node.value.type !== 'Word' || !isNumericLiteral(node.value.text)))
        return `Bash evaluates a value assigned to ${node.name} as arithmetic, which can run code`;
      if (node.value.type === 'ArrayValue') {
        for (const element of node.value.elements) {
          const key = /^\[(.*)\]\+?=/s.exec(element.text);
          if (key && !isNumericLiteral(key[1]))
            return `the key [${key[1]}] in ${node.name}=(…) is evaluated as arithmetic, which can run code`;
        }
      }
      return undefined;
    }
    case 'FileDescriptorVariable':
      return IDENTIFIER.test(node.name) ? undefined : `the descriptor variable {${node.name}} is evaluated as code`;
    case 'For':
    case 'Select':
      return loopVariableReason(node.name);
    case 'Function':
    case 'Coproc':
      return node.name && node.name.parts?.some((p) => p.type !== 'Literal')
        ? 'its name is only known at run time'
        : undefined;
    default:
      return undefined;
  }
}

/** Any name in an arithmetic expression is a variable whose value is itself evaluated. */
function arithmeticReason(expression: SyntaxNode): string | undefined {
  let found: string | undefined;
  const visit = (node: SyntaxNode): void => {
    if (found) return;
    if (node.type === 'ArithmeticWord') {
      if (!isNumericLiteral(node.value))
        found = `the arithmetic uses ${JSON.stringify(node.value)}, whose value Bash evaluates as code`;
      return;
    }
    if (node.type === 'ArithmeticCommandExpansion') return; // the command inside is checked on its own
    forEachChild(node, visit);
  };
  visit(expression);
  return found;
}

function expansionReason(node: ParameterExpansionPart): string | undefined {
  const op = node.operation;
  if (node.prefix === '!' && op?.type !== 'Names' && node.index?.text !== '@' && node.index?.text !== '*') {
    return `\${!${node.parameter}…} takes a variable name from a value, and a name can hold code`;
  }
  if (node.index && !['@', '*'].includes(node.index.text) && !isNumericLiteral(node.index.text)) {
    return `the subscript in ${node.text} is evaluated as arithmetic, which can run code`;
  }
  if (!op) return undefined;
  switch (op.type) {
    case 'Slice':
      return [op.offset, op.length].some((w) => w && !isNumericLiteral(w.text))
        ? `the offset in ${node.text} is evaluated as arithmetic, which can run code`
        : undefined;
    case 'Transform':
      return INERT_TRANSFORMS.has(op.operand.text)
        ? undefined
        : `${node.text} expands the value as a prompt, which runs the code in it`;
    case 'Unknown':
      return `${node.text} is an expansion the checker does not know`;
    case 'Default':
      if (
        (op.operator === '=' || op.operator === ':=') &&
        (ARITHMETIC_SPECIALS.has(node.parameter) || isUnsafeEnvName(node.parameter) || node.index)
      ) {
        return `${node.text} assigns ${node.parameter}, which can change what runs`;
      }
      return undefined;
    default:
      return undefined;
  }
}

function testReason(expression: TestExpression): string | undefined {
  switch (expression.type) {
    case 'TestBinary':
      if (
        ARITHMETIC_TESTS.has(expression.operator) &&
        ![expression.left, expression.right].every((w) => isStaticNumber(w))
      ) {
        return `[[ … ${expression.operator} … ]] evaluates its operands as arithmetic, which can run code held in a variable`;
      }
      return undefined;
    case 'TestUnary':
      return expression.operator === '-v' || expression.operator === '-R'
        ? variableNameReason(expression.operand)
        : undefined;
    case 'TestLogical':
      for (const operand of expression.operands) {
        const why = testReason(operand);
        if (why) return why;
      }
      return undefined;
    case 'TestNot':
      return testReason(expression.operand);
    case 'TestGroup':
      return testReason(expression.expression);
  }
}

function isStaticNumber(word: Word): boolean {
  return (word.parts ?? []).every((p) => p.type === 'Literal') && isNumericLiteral(word.value);
}

function variableNameReason(word: Word): string | undefined {
  const literal = (word.parts ?? []).every((p) => p.type === 'Literal');
  return literal && /^[A-Za-z_][A-Za-z0-9_]*(\[\d+\])?$/.test(word.value)
    ? undefined
    : `the variable name ${word.text} can hold a subscript, which is evaluated as code`;
}

function loopVariableReason(name: Word): string | undefined {
  const literal = (name.parts ?? []).every((p) => p.type === 'Literal');
  if (!literal || !IDENTIFIER.test(name.value)) return `the loop variable ${name.text} is evaluated as code`;
  if (ARITHMETIC_SPECIALS.has(name.value))
    return `Bash evaluates a value assigned to ${name.value} as arithmetic, which can run code`;
  if (isUnsafeEnvName(name.value)) return `the loop sets ${name.value}, which can change what runs`;
  return undefined;
}

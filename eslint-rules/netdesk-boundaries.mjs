/**
 * Local ESLint rules that keep the bounded contexts apart (issue 14).
 *
 * - `lib-imports`: apps and libs import a lib only through its `@netdesk/<lib>` index; a file under libs/<lib> imports another lib only through its `@netdesk/<lib>` index:
 *   no `@netdesk/<lib>/...` deep path, no relative path that leaves its own lib, and never anything under apps/.
 * - `entity-crossing`: a name ending in `Entity` or `Repository` imported from another lib's index is
 *   a table crossing a context; the read ports (docs/decisions.md) will remove today's leaks.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The lib a file belongs to, as its `@netdesk/<name>` alias name: libs/shared/core -> core, libs/ticketing -> ticketing. */
function libOf(file) {
  const rel = path.relative(ROOT, file).split(path.sep);
  if (rel[0] !== 'libs') return undefined;
  if (rel[1] === 'shared') return rel[2];
  return rel[1];
}

function libRoot(file) {
  const rel = path.relative(ROOT, file).split(path.sep);
  if (rel[0] !== 'libs') return undefined;
  return path.join(ROOT, ...rel.slice(0, rel[1] === 'shared' ? 3 : 2));
}

function sources(node) {
  // import/export ... from '...' and import('...')
  return node.source && typeof node.source.value === 'string' ? node.source : undefined;
}

const libImports = {
  meta: {
    type: 'problem',
    docs: { description: 'A lib imports another lib only through its @netdesk index, and never an app.' },
    messages: {
      deep: "'{{source}}' reaches into another lib's files: import from '@netdesk/{{lib}}' (its index.ts) instead.",
      relative:
        "'{{source}}' leaves lib '{{own}}' by a relative path: import from '@netdesk/<lib>' (its index.ts) instead.",
      app: "'{{source}}' imports an app: libs must not depend on apps/.",
    },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const own = libOf(file);
    const ownRoot = libRoot(file);
    function check(node) {
      const src = sources(node);
      if (!src) return;
      const value = src.value;
      const deep = /^@netdesk\/([^/]+)\/.+/.exec(value);
      if (deep) {
        context.report({ node: src, messageId: 'deep', data: { source: value, lib: deep[1] } });
        return;
      }
      if (!own) return; // apps may compose anything, but only through the libs' indexes (checked above)
      if (value.startsWith('.')) {
        const target = path.resolve(path.dirname(file), value);
        const rel = path.relative(ROOT, target).split(path.sep);
        if (rel[0] === 'apps') context.report({ node: src, messageId: 'app', data: { source: value } });
        else if (!target.startsWith(ownRoot + path.sep) && target !== ownRoot)
          context.report({ node: src, messageId: 'relative', data: { source: value, own } });
        return;
      }
      if (/^(@netdesk\/)?apps\//.test(value) || /^apps\//.test(value)) {
        context.report({ node: src, messageId: 'app', data: { source: value } });
      }
    }
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

const entityCrossing = {
  meta: {
    type: 'suggestion',
    docs: { description: "An entity or repository of another context is that context's table leaking out." },
    messages: {
      crossing:
        "'{{name}}' from '@netdesk/{{lib}}' crosses a context: read another context's tables through its read port, not its entity or repository.",
    },
    schema: [],
  },
  create(context) {
    const own = libOf(context.filename);
    if (!own) return {};
    return {
      ImportDeclaration(node) {
        const m = /^@netdesk\/([^/]+)$/.exec(node.source.value);
        if (!m || m[1] === own) return;
        for (const spec of node.specifiers) {
          if (spec.type !== 'ImportSpecifier') continue;
          const name = spec.imported.type === 'Identifier' ? spec.imported.name : spec.imported.value;
          if (/(Entity|Repository)$/.test(name))
            context.report({ node: spec, messageId: 'crossing', data: { name, lib: m[1] } });
        }
      },
    };
  },
};

export default { meta: { name: 'netdesk' }, rules: { 'lib-imports': libImports, 'entity-crossing': entityCrossing } };

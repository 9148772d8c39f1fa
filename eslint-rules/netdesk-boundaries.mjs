/**
 * Local ESLint rules that keep the bounded contexts apart (issue 14).
 *
 * - `lib-imports`: apps and libs import a lib only through its `@netdesk/<lib>` index: no `@netdesk/<lib>/...`
 *   deep path, no relative path that leaves its own lib, and never anything under apps/. One exception: a
 *   lib's entity classes (`@netdesk/<lib>/entities`) may be imported by an entity file of another lib (a
 *   relation target: the foreign key is part of the schema), by libs/shared/database and by apps.
 * - `entity-crossing`: a name ending in `Entity` or `Repository` imported from another lib is a table
 *   crossing a context (read it through the owner's port, docs/decisions.md), except an entity imported
 *   from `@netdesk/<lib>/entities` where that path is allowed.
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

/** Where `@netdesk/<lib>/entities` may be imported: entity files (relation targets), the database lib and apps. */
function mayImportEntities(file) {
  const rel = path.relative(ROOT, file).split(path.sep);
  if (rel[0] === 'apps') return true;
  if (rel[0] !== 'libs') return false;
  return (rel[1] === 'shared' && rel[2] === 'database') || rel[rel.length - 1].endsWith('.entity.ts');
}

const ENTITIES = /^@netdesk\/([^/]+)\/entities$/;

function sources(node) {
  // import/export ... from '...' and import('...')
  return node.source && typeof node.source.value === 'string' ? node.source : undefined;
}

const libImports = {
  meta: {
    type: 'problem',
    docs: { description: 'A lib imports another lib only through its @netdesk index, and never an app.' },
    messages: {
      deep: "'{{source}}' reaches into another lib's files: import from '@netdesk/{{lib}}' (its index.ts) instead (only entity files, the database lib and apps may import '@netdesk/<lib>/entities').",
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
      if (deep && !(ENTITIES.test(value) && mayImportEntities(file))) {
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
    const file = context.filename;
    const own = libOf(file);
    if (!own) return {};
    function check(node) {
      const src = sources(node);
      if (!src) return;
      const m = /^@netdesk\/([^/]+)(\/entities)?$/.exec(src.value);
      if (!m || m[1] === own) return;
      const relationTarget = m[2] !== undefined && mayImportEntities(file);
      for (const spec of node.specifiers ?? []) {
        const imported =
          spec.type === 'ImportSpecifier' ? spec.imported : spec.type === 'ExportSpecifier' ? spec.local : null;
        if (!imported) continue;
        const name = imported.type === 'Identifier' ? imported.name : imported.value;
        if (/Repository$/.test(name) || (/Entity$/.test(name) && !relationTarget))
          context.report({ node: spec, messageId: 'crossing', data: { name, lib: m[1] } });
      }
    }
    return { ImportDeclaration: check, ExportNamedDeclaration: check };
  },
};

export default { meta: { name: 'netdesk' }, rules: { 'lib-imports': libImports, 'entity-crossing': entityCrossing } };

/**
 * Jest transformer for ES-module packages in node_modules (NestJS 12 and friends): TypeScript's
 * transpiler turns them into CommonJS, with `import.meta.url` rewritten to the CommonJS equivalent.
 * Only Jest needs this; the built service loads them natively through Node's require(esm).
 */
const ts = require('typescript');
const crypto = require('node:crypto');

module.exports = {
  getCacheKey(source, filename) {
    return crypto.createHash('sha1').update('esm-to-cjs-v2').update(filename).update(source).digest('hex');
  },
  process(source, filename) {
    const code = source
      // `const require = createRequire(import.meta.url)`: CommonJS already has one
      .replace(/\b(const|let) require\s*=\s*(\w+\.)?createRequire\([^)]*\);?/g, '')
      .replace(/import\.meta\.url/g, "require('node:url').pathToFileURL(__filename).href");
    const out = ts.transpileModule(code, {
      fileName: filename.replace(/\.mjs$/, '.js'),
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
        allowJs: true,
        sourceMap: false,
      },
    });
    return { code: out.outputText };
  },
};

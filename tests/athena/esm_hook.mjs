// esm_hook.mjs - lets Node load dt-sql-parser's ES modules, whose
// relative imports name files without ".js" (and directories without
// "/index.js"), which Node's ESM resolver refuses. Registered by
// check.mjs through module.register(); used by nothing else.
export async function resolve(spec, ctx, next) {
  try {
    return await next(spec, ctx);
  } catch (err) {
    if (!spec.startsWith('.')) throw err;
    for (const ext of ['.js', '/index.js']) {
      try { return await next(spec + ext, ctx); } catch { /* next */ }
    }
    throw err;
  }
}

// Gives the wasm module's imports from wasm-bindgen's own glue short names (`a`, `b`, … `aa`, …),
// in the .wasm and in the glue's import object alike: wasm-bindgen names them like
// `__wbg_createError_49b0dd98ff643057`, and the hashes, which gzip cannot compress, are about
// 1.5 KB of the gzipped module. Imports from the package's own modules (pkg/json.js) keep their
// names: they are the modules' export names. The import modules (`./page_conversations_bg.js`,
// `./snippets/…/pkg/json.js`, keys of the glue's imports object) get short names too, and so do
// the exports wasm-bindgen names by a hash (`wasm_bindgen__convert__closures_____invoke__h…`,
// which only the glue calls, as `wasm.<name>`): `_a`, `_b`, …
//
// Usage: node scripts/short-imports.mjs pkg/gen/page_conversations_bg.wasm pkg/gen/page_conversations.js
// Fails, changing nothing, when the glue does not name each of them exactly as expected.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const [wasmPath, gluePath] = process.argv.slice(2);
const wasm = readFileSync(wasmPath);
let glue = readFileSync(gluePath, "utf8");
// The module name of wasm-bindgen's own imports: `./<name>_bg.js`.
const glueModule = `./${path.basename(wasmPath, ".wasm")}.js`;

function readUleb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    if (at >= bytes.length) throw new Error("short-imports: a LEB128 number runs past the end of the module");
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, at];
  }
}

function uleb(value) {
  const out = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return Buffer.from(out);
}

const named = (text) => Buffer.concat([uleb(Buffer.byteLength(text)), Buffer.from(text)]);

/** `a` … `z`, `A` … `Z`, `aa`, `ab`, …: the `index`th short name. */
function shortName(index) {
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  let name = "";
  let rest = index;
  for (;;) {
    name = letters[rest % letters.length] + name;
    rest = Math.floor(rest / letters.length);
    if (rest === 0) return name;
    rest -= 1;
  }
}

/** The end of an import's description (kind byte and type) that starts at `at`. */
function skipDescription(bytes, at) {
  const kind = bytes[at++];
  const limits = (p) => {
    const flags = bytes[p++];
    [, p] = readUleb(bytes, p);
    if (flags & 1) [, p] = readUleb(bytes, p);
    return p;
  };
  switch (kind) {
    case 0: return readUleb(bytes, at)[1]; // function: type index
    case 1: return limits(at + 1); // table: reference type, limits
    case 2: return limits(at); // memory: limits
    case 3: return at + 2; // global: value type, mutability
    case 4: return readUleb(bytes, at + 1)[1]; // tag: attribute, type index
    default: throw new Error(`short-imports: unknown import kind ${kind}`);
  }
}

const modules = new Map();
/** The short name of an import module, renamed in the glue's imports object on first sight. */
function moduleName(module) {
  if (!modules.has(module)) {
    const short = shortName(modules.size);
    const key = `${JSON.stringify(module)}:`;
    if (!glue.includes(key) || glue.split(JSON.stringify(module)).length !== glue.split(key).length) {
      throw new Error(`short-imports: the glue does not name the module ${module} as keys only`);
    }
    glue = glue.replaceAll(key, `${JSON.stringify(short)}:`);
    modules.set(module, short);
  }
  return modules.get(module);
}

const sections = [];
let renamed = 0;
let renamedExports = 0;
let at = 8;
while (at < wasm.length) {
  const id = wasm[at];
  const [size, start] = readUleb(wasm, at + 1);
  let body = wasm.subarray(start, start + size);
  at = start + size;
  if (id === 2) {
    let [count, p] = readUleb(body, 0);
    const parts = [uleb(count)];
    for (let i = 0; i < count; i++) {
      let length;
      [length, p] = readUleb(body, p);
      const module = body.toString("utf8", p, p + length);
      p += length;
      [length, p] = readUleb(body, p);
      const name = body.toString("utf8", p, p + length);
      p += length;
      const end = skipDescription(body, p);
      const description = body.subarray(p, end);
      p = end;
      let newName = name;
      if (module === glueModule) {
        newName = shortName(renamed++);
        const key = `${name}:`;
        const first = glue.indexOf(key);
        if (first === -1 || glue.indexOf(key, first + 1) !== -1 || glue.split(name).length !== 2) {
          throw new Error(`short-imports: the glue does not name the import ${name} exactly once, as a key`);
        }
        glue = glue.replace(key, `${newName}:`);
      }
      parts.push(named(moduleName(module)), named(newName), description);
    }
    body = Buffer.concat(parts);
  } else if (id === 7) {
    let [count, p] = readUleb(body, 0);
    const parts = [uleb(count)];
    for (let i = 0; i < count; i++) {
      let length;
      [length, p] = readUleb(body, p);
      const name = body.toString("utf8", p, p + length);
      p += length;
      const end = readUleb(body, p + 1)[1];
      const description = body.subarray(p, end);
      p = end;
      let newName = name;
      if (/^wasm_bindgen__convert__closures_____invoke__h[0-9a-f]{16}$/.test(name)) {
        newName = `_${shortName(renamedExports++)}`;
        const use = `wasm.${name}(`;
        if (glue.split(use).length !== 2 || glue.split(`wasm.${name}`).length !== 2) {
          throw new Error(`short-imports: the glue does not call the export ${name} exactly once`);
        }
        glue = glue.replace(use, `wasm.${newName}(`);
      }
      parts.push(named(newName), description);
    }
    body = Buffer.concat(parts);
  }
  sections.push(Buffer.from([id]), uleb(body.length), body);
}
if (renamed === 0) throw new Error(`short-imports: no import from ${glueModule}`);

const out = Buffer.concat([wasm.subarray(0, 8), ...sections]);
// The result must still be a valid module, every import module of it a key of the glue's import
// object, every import of the glue's own module a key there, and no two exports alike.
const compiled = new WebAssembly.Module(out);
const shortGlueModule = modules.get(glueModule);
for (const { module, name } of WebAssembly.Module.imports(compiled)) {
  if (!glue.includes(`${JSON.stringify(module)}:`)) throw new Error(`short-imports: the glue has no import module ${module}`);
  if (module === shortGlueModule && !new RegExp(`[{,\\s]${name}:`).test(glue)) {
    throw new Error(`short-imports: the glue has no import ${name}`);
  }
}
const exportNames = WebAssembly.Module.exports(compiled).map((entry) => entry.name);
if (new Set(exportNames).size !== exportNames.length) throw new Error("short-imports: two exports have the same name");
writeFileSync(wasmPath, out);
writeFileSync(gluePath, glue);

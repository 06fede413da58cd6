// Adjusts the glue that wasm-bindgen writes (pkg/gen/page_conversations.js), failing loudly when
// the glue no longer looks as expected (a new wasm-bindgen version: review these edits then).
//
// 1. wasm-bindgen copies the package's own modules that Rust imports (pkg/errors.js,
//    pkg/json.js) into gen/snippets/; the glue is pointed at the package's files instead, so
//    that the error classes users import are the very ones the wasm throws. (Only the import
//    statements: the glue also names the modules as keys of the wasm's imports.)
// 2. Strings passed from Rust to JavaScript are decoded by a TextDecoder. The package passes
//    short ASCII strings (URLs, header values, cursors, keys): those are read byte by byte
//    instead. In workerd each TextDecoder call crosses into C++, and the first one of an
//    isolate costs over a millisecond of its cold start.
import { readFileSync, writeFileSync } from "node:fs";

const file = process.argv[2];
let glue = readFileSync(file, "utf8");

/** `glue` with `pattern` replaced by `replacement`; fails when `pattern` is not there. */
function edit(what, pattern, replacement) {
  const edited = glue.replace(pattern, replacement);
  if (edited === glue) {
    console.error(`glue.mjs: could not ${what} in ${file}`);
    process.exit(1);
  }
  glue = edited;
}

edit("point the glue at the package's own modules", /from (['"])\.\/snippets\/[^'"]*\/pkg\/([a-z]+\.js)\1/g, "from $1../$2$1");
if (/from ['"]\.\/snippets/.test(glue) || !glue.includes("from '../errors.js'")) {
  console.error(`glue.mjs: a snippet import is left in ${file}`);
  process.exit(1);
}

edit("add the ASCII path of decodeText", "function decodeText(bytes) {\n", `function decodeText(bytes) {
    if (bytes.length <= 1024) {
        let ascii = 0;
        while (ascii < bytes.length && bytes[ascii] < 0x80) ascii++;
        if (ascii === bytes.length) return String.fromCharCode.apply(null, bytes);
    }
`);

writeFileSync(file, glue);

#!/usr/bin/env bash
# Real consumers of the npm package: packs pkg/ with `npm pack`, installs that tarball into
# tests/consumers/ (whose own devDependencies come from the committed lockfile), builds a Vite app,
# a webpack app and a wrangler Worker from it once, then runs tests/consumers/*.test.mjs: the apps
# in headless Chromium, the Worker in workerd, Node ESM and CommonJS scripts, tsc --strict under
# moduleResolution bundler and node16, and the tarball's contents. Offline once the npm cache
# holds the lockfile's packages. Needs pkg/gen (scripts/build.sh) and the root node_modules
# (scripts/setup.sh build: wrangler and miniflare come from there). Fails when a step fails or
# when no test ran.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$here"
export PATH="$here/node_modules/.bin:$PATH"
export WRANGLER_SEND_METRICS=false WRANGLER_SEND_ERROR_REPORTS=false CLOUDFLARE_CF_FETCH_ENABLED=false
export WRANGLER_HIDE_BANNER=true # the banner asks the npm registry for a newer wrangler
start=$SECONDS

if [ ! -f "$root/pkg/gen/page_conversations_bg.wasm" ] || [ ! -f "$root/pkg/gen/page_conversations.js" ]; then
  echo "consumers: pkg/gen is not built: run scripts/build.sh first" >&2
  exit 1
fi
if [ ! -x /usr/bin/chromium ]; then
  echo "consumers: /usr/bin/chromium is missing: run scripts/setup.sh browser first" >&2
  exit 1
fi
for tool in wrangler miniflare; do
  if [ ! -d "$root/node_modules/$tool" ]; then
    echo "consumers: $tool is missing from the root node_modules: run scripts/setup.sh build first" >&2
    exit 1
  fi
done

work="$here/.work"
rm -rf "$work"
mkdir -p "$work"

echo "==> npm pack pkg/"
# The published package carries the repository's README, LICENSE and CHANGELOG (git-ignored
# copies in pkg/; `files` in pkg/package.json lists them).
cp "$root/README.md" "$root/LICENSE" "$root/CHANGELOG.md" "$root/pkg/"
(cd "$root/pkg" && npm pack --pack-destination "$work" --silent) > "$work/pack.txt"
mv "$work/$(tail -n 1 "$work/pack.txt")" "$work/page-conversations.tgz"
echo "page-conversations.tgz: $(stat -c %s "$work/page-conversations.tgz") bytes, $(tar -tzf "$work/page-conversations.tgz" | wc -l) files"

echo "==> install the consumers' devDependencies (committed lockfile) and the tarball"
stamp=node_modules/.consumers-lock.sha256
if [ ! -f "$stamp" ] || ! sha256sum --status -c "$stamp" 2>/dev/null; then
  npm ci --prefer-offline --no-audit --no-fund
  sha256sum package.json package-lock.json > "$stamp"
fi
# --no-save: the tarball's hash changes with every build, so it is never recorded in the lockfile.
npm install --no-save --prefer-offline --no-audit --no-fund "$work/page-conversations.tgz"

echo "==> build the Vite app"
vite build vite-app --outDir "$work/vite-dist" --emptyOutDir --logLevel warn
echo "==> build the webpack app"
node webpack-app/build.mjs "$work/webpack-dist"
echo "==> bundle the Worker with wrangler (dry run)"
(cd worker && "$root/node_modules/.bin/wrangler" deploy --dry-run --outdir "$work/worker-dist" </dev/null) > "$work/wrangler.log" 2>&1 \
  || { cat "$work/wrangler.log" >&2; exit 1; }
rm -rf worker/.wrangler
echo "builds done in $((SECONDS - start)) s"

echo "==> node --test tests/consumers/*.test.mjs"
log="$work/test.log"
node --test --test-reporter=tap ./*.test.mjs 2>&1 | tee "$log"
passed="$(grep -Eo '^# pass [0-9]+' "$log" | grep -Eo '[0-9]+' || true)"
if [ "${passed:-0}" -eq 0 ]; then
  echo "consumers: zero tests ran: failing" >&2
  exit 1
fi
echo "consumers: $passed passed in $((SECONDS - start)) s"

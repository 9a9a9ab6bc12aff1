#!/bin/sh
# Rebuild theme/overrides/assets/javascripts/snowball-stem.min.js from a Snowball v3.1.1 checkout
# ($SNOWBALL) with esbuild 0.28.2 ($ESBUILD). Run from this folder. See README.md.
set -e
SNOWBALL=${SNOWBALL:?set SNOWBALL to a checkout of https://github.com/snowballstem/snowball at v3.1.1}
ESBUILD=${ESBUILD:-npx --yes esbuild@0.28.2}
OUT=${OUT:-../../overrides/assets/javascripts/snowball-stem.min.js}
(cd "$SNOWBALL" && make snowball >/dev/null)
"$SNOWBALL/snowball" "$SNOWBALL/algorithms/dutch.sbl"   -js -o dutch-stemmer
"$SNOWBALL/snowball" "$SNOWBALL/algorithms/english.sbl" -js -o english-stemmer
cp "$SNOWBALL/javascript/base-stemmer.js" .
$ESBUILD entry.js --bundle --format=iife --global-name=SnowballStem --minify \
  --target=es2022 --banner:js="$(cat banner.txt)" --outfile="$OUT"

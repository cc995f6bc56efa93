#!/usr/bin/env bash
# Installs the Debian packages sdkgate's tests use, when missing and when we may (root + apt-get).
# smali/aapt/apksigner/zipalign/framework-res rebuild the fixture APKs; chromium renders the HTML
# report (and prints the PDF); poppler-utils (pdftotext) reads the PDF back in tests; fonts-wqy-microhei gives it CJK glyphs; a JRE runs keytool; shellcheck lets actionlint check the CI docs'
# scripts; postgresql is the server the fleet tests start (initdb + pg_ctl in a temp folder); libnss-wrapper is
# the simulated device's resolver (its hosts resolve to loopback sinks inside the instrumented process); gcc
# builds the simulated device's native libraries (sdkgate/dynamic/simnative.py).
set -u
command -v dpkg >/dev/null 2>&1 || { echo "note: not a Debian system; tests that need smali/chromium skip with a reason"; exit 0; }
need=()
for p in libsmali-java aapt apksigner zipalign android-framework-res chromium fonts-wqy-microhei poppler-utils default-jre-headless shellcheck postgresql libnss-wrapper gcc libc6-dev; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian packages: ${need[*]}"
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
    || echo "warning: could not install ${need[*]}; tests that need them are skipped with a reason"
else
  echo "note: missing ${need[*]} (not root or no apt-get); tests that need them are skipped with a reason"
fi
exit 0

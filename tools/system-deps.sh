#!/usr/bin/env bash
# Installs the Debian packages sdkgate's tests use, when missing and when we may (root + apt-get).
# smali/aapt/apksigner/zipalign rebuild the fixture APKs; chromium renders the HTML report.
set -u
need=()
command -v smali >/dev/null 2>&1 || need+=(libsmali-java)
command -v aapt >/dev/null 2>&1 || need+=(aapt)
command -v apksigner >/dev/null 2>&1 || need+=(apksigner)
command -v zipalign >/dev/null 2>&1 || need+=(zipalign)
[ -f /usr/share/android-framework-res/framework-res.apk ] || need+=(android-framework-res)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v keytool >/dev/null 2>&1 || need+=(default-jre-headless)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian packages: ${need[*]}"
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
    || echo "warning: could not install ${need[*]}; tests that need them are skipped with a reason"
else
  echo "note: missing ${need[*]} (not root or no apt-get); tests that need them are skipped with a reason"
fi
exit 0

#!/usr/bin/env bash
# Builds nidan's per-user MSI with wixl (Debian package wixl, from msitools).
#
#   scripts/msi/build.sh VERSION NIDAN_EXE HOST_EXE OUT.msi
#
# Installs nidan.exe and nidan-host.exe under %LOCALAPPDATA%\Programs\nidan
# without admin rights, registers the native-messaging host under HKCU for
# every browser of host/install's Windows table (Chrome, Edge, Chromium,
# Brave, Vivaldi, Firefox, LibreWolf), puts the folder on the user's PATH,
# and replaces an older version in place. Uninstalling removes all of it and
# never the vault. scripts/lanes/windows.sh installs and removes it in Wine.
set -euo pipefail
[ $# -eq 4 ] || { echo "usage: $0 VERSION NIDAN_EXE HOST_EXE OUT.msi" >&2; exit 2; }
version=$1 nidan=$2 host=$3 out=$4
for tool in wixl msibuild; do
	command -v $tool >/dev/null || { echo "$tool is missing: apt-get install wixl msitools" >&2; exit 1; }
done
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$nidan" "$work/nidan.exe"
cp "$host" "$work/nidan-host.exe"
(cd "$repo" && go run ./scripts/msi/gen -version "$version" -template scripts/msi/nidan.wxs -out "$work")
# The cabinet records each file's time: with SOURCE_DATE_EPOCH (as
# scripts/release.sh sets it) every file gets that one, so builds match.
[ -z "${SOURCE_DATE_EPOCH:-}" ] || find "$work" -type f -exec touch -d "@$SOURCE_DATE_EPOCH" {} +
mkdir -p "$(dirname "$out")"
out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
(cd "$work" && wixl -a x64 -o "$out" nidan.wxs)
# The PATH entry, which wixl cannot author: what WiX's <Environment
# Name="PATH" Value="[INSTALLDIR]" Part="last" Action="set" System="no"
# Permanent="no"/> compiles to. "=-" sets it at install and takes it out at
# uninstall; "[~];" keeps what the user's PATH held before.
msibuild "$out" -q 'CREATE TABLE `Environment` (`Environment` CHAR(72) NOT NULL, `Name` CHAR(255) NOT NULL LOCALIZABLE, `Value` CHAR(255) LOCALIZABLE, `Component_` CHAR(72) NOT NULL PRIMARY KEY `Environment`)' \
	-q "INSERT INTO \`Environment\` (\`Environment\`, \`Name\`, \`Value\`, \`Component_\`) VALUES ('UserPath', '=-PATH', '[~];[INSTALLDIR]', 'UserPath')" \
	-q "INSERT INTO \`InstallExecuteSequence\` (\`Action\`, \`Sequence\`) VALUES ('RemoveEnvironmentStrings', 3300)" \
	-q "INSERT INTO \`InstallExecuteSequence\` (\`Action\`, \`Sequence\`) VALUES ('WriteEnvironmentStrings', 5200)"
echo "wrote $out"

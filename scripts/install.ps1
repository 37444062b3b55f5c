<#
.SYNOPSIS
Installs nidan for the current user on Windows, from this checkout.

.DESCRIPTION
Builds nidan.exe into -Prefix (default $env:PREFIX, else
%LOCALAPPDATA%\Programs\nidan), creates the vault when there is none,
registers the native-messaging host with every browser found (manifests
beside nidan.exe, keys under HKCU\Software\...\NativeMessagingHosts), and says
how to load the extension into each browser. Safe to run again: it rebuilds,
keeps the vault, and rewrites nothing that is right.

Other arguments go to `nidan install`; name browsers one flag each, since
PowerShell splits a comma list: --browser chrome --browser firefox.

.EXAMPLE
scripts\install.ps1

.EXAMPLE
scripts\install.ps1 -Prefix C:\Tools\nidan --browser edge
#>
param(
    [string]$Prefix = $(if ($env:PREFIX) { $env:PREFIX } else { Join-Path $env:LOCALAPPDATA 'Programs\nidan' }),
    [Parameter(ValueFromRemainingArguments = $true)][string[]]$InstallArgs = @()
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

function Say([string]$msg) { Write-Host "==> $msg" }
function Warn([string]$msg) { [Console]::Error.WriteLine("warning: $msg") }
function Fail([string]$msg) { [Console]::Error.WriteLine("error: $msg"); exit 1 }

$repo = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
$nidan = Join-Path $Prefix 'nidan.exe'

if (-not (Get-Command go -ErrorAction SilentlyContinue)) {
    Fail 'Go is missing: install Go 1.26 or later from https://go.dev/dl/, then run this again'
}

Say "building nidan into $nidan"
New-Item -ItemType Directory -Force -Path $Prefix | Out-Null
Push-Location $repo
# A static host starts faster; the browser starts it once per code. The
# caller's CGO_ENABLED is put back afterwards: a script run with `.` or in
# the same session must not change how the user's other builds link.
$savedCgo = $env:CGO_ENABLED
$env:CGO_ENABLED = '0'
try {
    & go build -trimpath -o "$Prefix\nidan.new.exe" ./host
    if ($LASTEXITCODE -ne 0) { Fail 'go build failed (see above)' }
    & go build -trimpath -o "$Prefix\nidan-host.new.exe" ./host/nativehost
    if ($LASTEXITCODE -ne 0) { Fail 'go build failed (see above)' }
} finally {
    $env:CGO_ENABLED = $savedCgo
    Pop-Location
}
# Windows will not overwrite a running .exe (a browser may be running the old
# one) but will rename it: move it aside, put the new one in, and drop the old
# one when it is no longer running. An old one from an earlier install may
# still run (a browser keeps its host for as long as the port is open):
# then it stays, and this one is moved aside under a name of its own.
function Replace-Exe([string]$name) {
    $exe = Join-Path $Prefix "$name.exe"
    Get-ChildItem -Path $Prefix -Filter "$name.old*.exe" -ErrorAction SilentlyContinue |
        Remove-Item -Force -ErrorAction SilentlyContinue
    if (Test-Path $exe) {
        $aside = Join-Path $Prefix "$name.old.exe"
        if (Test-Path $aside) { $aside = Join-Path $Prefix ("$name.old-{0}.exe" -f [DateTime]::UtcNow.Ticks) }
        Move-Item -Force $exe $aside
        Remove-Item -Force $aside -ErrorAction SilentlyContinue
    }
    Move-Item -Force (Join-Path $Prefix "$name.new.exe") $exe
}
Replace-Exe 'nidan'
Replace-Exe 'nidan-host'

# nidan knows where this PC's vault is (its home, or a synced folder):
# --keep creates it on the first install and changes nothing after.
Say 'the vault'
& $nidan init --keep
if ($LASTEXITCODE -ne 0) { Fail 'nidan init failed (see above)' }

Say 'registering the native-messaging host'
$report = @(& $nidan install @InstallArgs)
if ($LASTEXITCODE -ne 0) {
    Fail ("nidan install failed (see above). To install for a browser that was not found, name it:`n" +
        '  scripts\install.ps1 --browser chrome    (or chromium, edge, brave, vivaldi, firefox, librewolf, all)')
}
$report | ForEach-Object { Write-Host $_ }

# The browsers a manifest is now in place for: lines "BROWSER CHANGE manifest PATH".
$browsers = @($report | ForEach-Object {
        $f = -split $_
        if ($f.Count -ge 4 -and $f[2] -eq 'manifest' -and ($f[1] -eq 'written' -or $f[1] -eq 'unchanged')) { $f[0] }
    } | Select-Object -Unique)

$xpi = Get-ChildItem -Path (Join-Path $repo 'dist') -Filter *.xpi -ErrorAction SilentlyContinue | Select-Object -Last 1
Write-Host ''
Write-Host "Load the extension (folder $repo\extension) in each browser:"
foreach ($b in $browsers) {
    $page = switch ($b) {
        { $_ -in 'chrome', 'chromium' } { 'chrome://extensions' }
        'edge' { 'edge://extensions' }
        'brave' { 'brave://extensions' }
        'vivaldi' { 'vivaldi://extensions' }
        default { '' }
    }
    if ($b -in 'firefox', 'librewolf') {
        Write-Host "  ${b}: open about:debugging#/runtime/this-firefox -> Load Temporary Add-on... -> choose $repo\extension\manifest.json"
        Write-Host "      (a temporary add-on lasts until $b restarts;"
        if ($xpi) {
            Write-Host "       to keep it, about:addons -> gear -> Install Add-on From File... -> $($xpi.FullName))"
        } else {
            Write-Host '       to keep it, install the packed .xpi: see the README)'
        }
    } elseif ($page) {
        Write-Host "  ${b}: open $page -> turn on Developer mode -> Load unpacked -> choose $repo\extension"
    }
}
if ($browsers.Count -eq 0) { Write-Host '  (no browser got the host: see the notes above)' }

if (-not (($env:Path -split ';') -contains $Prefix)) {
    Warn "$Prefix is not on your PATH: run this once, then open a new terminal:"
    [Console]::Error.WriteLine("  [Environment]::SetEnvironmentVariable('Path', '$Prefix;' + [Environment]::GetEnvironmentVariable('Path', 'User'), 'User')")
}

Write-Host ''
Say 'checking the set-up (nidan doctor)'
& $nidan doctor
if ($LASTEXITCODE -ne 0) { Warn 'nidan doctor found problems: each failed check above has a hint' }
Write-Host ''
Write-Host "Next: add an account with ``nidan add NAME --marketplace jp`` (paste the key Amazon shows under `"Can't scan the barcode?`")."

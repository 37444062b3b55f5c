<#
.SYNOPSIS
Installs nidan from this unpacked release archive for the current user.

.DESCRIPTION
No Go and no administrator rights needed. Copies nidan.exe and nidan-host.exe
into %LOCALAPPDATA%\Programs\nidan (or -Prefix), puts that folder on the
user's PATH, creates the vault when there is none, registers the
native-messaging host with every browser found (keys under HKCU) and runs
`nidan doctor`. Safe to run again, also to upgrade: it keeps the vault.

Other arguments go to `nidan install`; name browsers one flag each:
--browser chrome --browser firefox.

.EXAMPLE
powershell -ExecutionPolicy Bypass -File .\install.ps1
#>
param(
    [string]$Prefix = (Join-Path $env:LOCALAPPDATA 'Programs\nidan'),
    [Parameter(ValueFromRemainingArguments = $true)][string[]]$InstallArgs = @()
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

function Say([string]$msg) { Write-Host "==> $msg" }
function Warn([string]$msg) { [Console]::Error.WriteLine("warning: $msg") }
function Fail([string]$msg) { [Console]::Error.WriteLine("error: $msg"); exit 1 }

$here = $PSScriptRoot
$nidan = Join-Path $Prefix 'nidan.exe'

Say "copying nidan.exe and nidan-host.exe into $Prefix"
New-Item -ItemType Directory -Force -Path $Prefix | Out-Null
foreach ($exe in 'nidan.exe', 'nidan-host.exe') {
    $dst = Join-Path $Prefix $exe
    $old = Join-Path $Prefix ($exe -replace '\.exe$', '.old.exe')
    # Windows will not overwrite a running .exe (a browser may be running the
    # host) but will rename it: move it aside, then drop it if it has ended.
    Remove-Item -Force $old -ErrorAction SilentlyContinue
    if (Test-Path $dst) { Move-Item -Force $dst $old -ErrorAction SilentlyContinue }
    Copy-Item -Force (Join-Path $here $exe) $dst
    # Files from a browser download carry the web's mark; drop it so that
    # SmartScreen does not stop the browser from starting the host.
    Unblock-File -Path $dst -ErrorAction SilentlyContinue
    Remove-Item -Force $old -ErrorAction SilentlyContinue
}

$userPath = [Environment]::GetEnvironmentVariable('Path', 'User')
if (-not (($userPath -split ';') -contains $Prefix)) {
    Say "adding $Prefix to your PATH (new terminals will find nidan)"
    [Environment]::SetEnvironmentVariable('Path', ($(if ($userPath) { "$Prefix;$userPath" } else { $Prefix })), 'User')
}

# nidan knows where this PC's vault is (its home, or a synced folder):
# --keep creates it on the first install and changes nothing after.
Say 'the vault'
& $nidan init --keep
if ($LASTEXITCODE -ne 0) { Fail 'nidan init failed (see above)' }

Say 'registering the native-messaging host'
& $nidan install @InstallArgs
if ($LASTEXITCODE -ne 0) {
    Fail ("nidan install failed (see above). To install for a browser that was not found, name it:`n" +
        '  .\install.ps1 --browser chrome    (or chromium, edge, brave, vivaldi, firefox, librewolf, all)')
}

Write-Host ''
Say 'checking the set-up (nidan doctor)'
& $nidan doctor
if ($LASTEXITCODE -ne 0) { Warn 'nidan doctor found problems: each failed check above has a hint' }
Write-Host ''
Write-Host 'Next: add the nidan extension to your browser (README.md, "The extension"),'
Write-Host 'then add an account with `nidan add NAME --marketplace jp`.'

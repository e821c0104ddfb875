<#
.SYNOPSIS
  Smoke test of the frozen Windows app (the bundle in dist\evaluator or an installed copy), like
  installer/smoke.sh: --version; demo; results; a signed appraisal report checked by verify; export of a
  signed team package, verify, re-import; gui --screenshot offscreen. Prints sizes and start times and
  ends with one JSON line.

    pwsh -File installer\windows\smoke.ps1      (PowerShell 7; Windows PowerShell 5.1 works too)
    powershell -ExecutionPolicy Bypass -File installer\windows\smoke.ps1 -App "$env:LOCALAPPDATA\Programs\evaluator\evaluator.exe"

  The app runs with PATH reduced to Windows' own folders (no Python) and EVALUATOR_HOME in a temporary
  folder. openssl.exe makes the throwaway PKCS#12 (from PATH, else Git for Windows' copy).
#>
[CmdletBinding()]
param([string]$App = "")
$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest

$Root = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
if (-not $App) { $App = Join-Path $Root "dist\evaluator\evaluator.exe" }
if (-not (Test-Path $App)) { throw "no ${App}: build first (installer\build.ps1)" }
$AppDir = Split-Path -Parent $App

$OpenSsl = (Get-Command "openssl.exe" -ErrorAction SilentlyContinue | Select-Object -First 1 -ExpandProperty Source)
if (-not $OpenSsl) { $OpenSsl = Join-Path $env:ProgramFiles "Git\usr\bin\openssl.exe" }
if (-not (Test-Path $OpenSsl)) { throw "openssl.exe not found (install Git for Windows or OpenSSL)" }

$Work = Join-Path ([IO.Path]::GetTempPath()) ("evaluator-smoke-" + [Guid]::NewGuid().ToString("N").Substring(0, 8))
New-Item -ItemType Directory -Path $Work | Out-Null
Set-Location $Work

# No Python on PATH; user folders in the temporary folder; Qt offscreen.
$env:PATH = "$env:SystemRoot\System32;$env:SystemRoot;$env:SystemRoot\System32\WindowsPowerShell\v1.0"
Remove-Item Env:PYTHONPATH, Env:PYTHONHOME, Env:VIRTUAL_ENV -ErrorAction SilentlyContinue
$env:EVALUATOR_HOME = Join-Path $Work "home"
$env:EVALUATOR_DEMO_DIR = Join-Path $Work "home\cache\demo"
$env:QT_QPA_PLATFORM = "offscreen"
$env:P12_PASSWORD = "smoke-secret"
$env:PYTHONIOENCODING = "utf-8"

function Step([string]$Text) { Write-Host "== $Text" }
function Run {
    param([Parameter(ValueFromRemainingArguments = $true)][string[]]$Arguments)
    & $App @Arguments
    if ($LASTEXITCODE -ne 0) { throw "evaluator $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}
function Seconds([scriptblock]$Block) {
    $t = Measure-Command { & $Block | Out-Null }
    return [Math]::Round($t.TotalSeconds, 3)
}

Step "--version"
$VersionCold = Seconds { Run --version }
$VersionWarm = Seconds { Run --version }
$Text = (& $App --version)
Write-Host "   $Text - cold ${VersionCold}s, warm ${VersionWarm}s"
if ($Text -notmatch "^evaluator \d") { throw "unexpected --version output: $Text" }

Step "demo"
Run demo demo.db
Step "results"
Run results --db demo.db --year 2024
$Results = (& $App results --db demo.db --year 2024 --format json) -join "`n" | ConvertFrom-Json
$Unit = $Results.units[0].code
if (-not $Unit) { throw "no unit in the results" }

Step "throwaway PKI (openssl)"
$Ext = Join-Path $Work "signer.ext"
Set-Content -Path $Ext -Value @("basicConstraints=CA:FALSE", "keyUsage=critical,digitalSignature,nonRepudiation") -Encoding ascii
# openssl reports progress on stderr: not an error (Windows PowerShell would make it one under "Stop")
$ErrorActionPreference = "Continue"
& $OpenSsl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Smoke Test CA/O=evaluator" `
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" `
    -keyout ca.key -out ca.pem 2>$null
& $OpenSsl req -newkey rsa:2048 -nodes -subj "/CN=Smoke Signer/O=evaluator" -keyout signer.key -out signer.csr 2>$null
& $OpenSsl x509 -req -in signer.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile $Ext -out signer.pem 2>$null
& $OpenSsl pkcs12 -export -inkey signer.key -in signer.pem -certfile ca.pem -name signer -passout pass:smoke-secret -out signer.p12
$ErrorActionPreference = "Stop"
if (-not (Test-Path signer.p12)) { throw "openssl did not write signer.p12" }

Step "signed appraisal report of $Unit, then verify"
Run report appraisal --db demo.db --year 2024 --unit $Unit --out appraisal.pdf --sign --p12 signer.p12 --password-env P12_PASSWORD
Run verify appraisal.pdf --trust ca.pem --db demo.db

Step "export a signed team package, verify, import into the committee's copy"
Copy-Item demo.db committee.db
Copy-Item -Recurse demo.evidence committee.evidence
Run export --db demo.db --year 2024 --unit $Unit --out team.cchc --author "To 1" --p12 signer.p12 --password-env P12_PASSWORD
Run verify team.cchc --trust ca.pem
Run import --db committee.db team.cchc --trust ca.pem --dry-run
Run import --db committee.db team.cchc --trust ca.pem

Step "gui --screenshot (offscreen)"
$GuiCold = Seconds { Run gui --db demo.db --view workspace --screenshot shot.png }
$GuiWarm = Seconds { Run gui --db demo.db --view results --screenshot results.png }
if (-not (Test-Path shot.png) -or (Get-Item shot.png).Length -eq 0) { throw "no screenshot" }
$Out = Join-Path $Root "dist\smoke"
New-Item -ItemType Directory -Force -Path $Out | Out-Null
Copy-Item shot.png, results.png, appraisal.pdf $Out

$BundleMB = [Math]::Round((Get-ChildItem $AppDir -Recurse -File | Measure-Object Length -Sum).Sum / 1MB, 1)
$Zip = Get-ChildItem (Join-Path $Root "dist") -Filter "evaluator-*-windows-x64.zip" -ErrorAction SilentlyContinue | Select-Object -First 1
$Setup = Get-ChildItem (Join-Path $Root "dist") -Filter "evaluator-*-setup.exe" -ErrorAction SilentlyContinue | Select-Object -First 1
$ZipMB = if ($Zip) { [Math]::Round($Zip.Length / 1MB, 1) } else { "null" }
$SetupMB = if ($Setup) { [Math]::Round($Setup.Length / 1MB, 1) } else { "null" }
Write-Host ""
Write-Host "bundle size:      $BundleMB MB"
Write-Host "compressed size:  zip $ZipMB MB, setup $SetupMB MB (target <= 150)"
Write-Host "--version:        cold $VersionCold s, warm $VersionWarm s (target <= 1)"
Write-Host "gui --screenshot: cold $GuiCold s, warm $GuiWarm s (target first frame <= 3)"
Write-Host ('{{"bundle_mb": {0}, "zip_mb": {1}, "setup_mb": {2}, "version_cold_s": {3}, "version_warm_s": {4}, "gui_screenshot_cold_s": {5}, "gui_screenshot_warm_s": {6}, "ok": true}}' -f `
    $BundleMB, $ZipMB, $SetupMB, $VersionCold, $VersionWarm, $GuiCold, $GuiWarm)
Set-Location $Root
Remove-Item -Recurse -Force $Work -ErrorAction SilentlyContinue

<#
.SYNOPSIS
  Build evaluator for Windows: the PyInstaller folder bundle, a portable zip and the per-user installer.

.DESCRIPTION
  dist\evaluator\evaluator.exe (command line) and evaluatorw.exe (no console: Start menu, .cchc files),
  dist\evaluator-VERSION-windows-x64.zip (the folder, for a USB stick) and
  dist\evaluator-VERSION-windows-x64-setup.exe (Inno Setup 6, installs per user without admin rights).

    powershell -ExecutionPolicy Bypass -File installer\build.ps1
    powershell -ExecutionPolicy Bypass -File installer\build.ps1 -Python C:\Python311\python.exe -NoSetup

  Needs Python 3.11+ (the py launcher or -Python) and, for the setup program, Inno Setup 6 (iscc.exe on
  PATH or in its default folders; `choco install innosetup` or `winget install JRSoftware.InnoSetup`).
#>
[CmdletBinding()]
param(
    [string]$Python = "",
    [switch]$NoSetup
)
$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest

function Invoke-Checked {
    param([string]$Exe, [string[]]$Arguments)
    Write-Host "+ $Exe $($Arguments -join ' ')"
    & $Exe @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Exe failed with exit code $LASTEXITCODE" }
}

$Root = Split-Path -Parent $PSScriptRoot
Set-Location $Root
$Venv = Join-Path $Root ".venv"
$Py = Join-Path $Venv "Scripts\python.exe"

if (-not (Test-Path $Py)) {
    if ($Python) {
        Invoke-Checked $Python @("-m", "venv", $Venv)
    } else {
        Invoke-Checked "py" @("-3.11", "-m", "venv", $Venv)
    }
}
Invoke-Checked $Py @("-m", "pip", "install", "--quiet", "--upgrade", "pip")
Invoke-Checked $Py @("-m", "pip", "install", "--quiet", "-e", ".[build]")

$Version = (& $Py -c "import sys; sys.path.insert(0, 'installer'); import bundle; print(bundle.version())").Trim()
if ($LASTEXITCODE -ne 0 -or -not $Version) { throw "cannot read the version" }
Write-Host "evaluator $Version"

$Bundle = Join-Path $Root "dist\evaluator"
if (Test-Path $Bundle) { Remove-Item -Recurse -Force $Bundle }
Invoke-Checked $Py @("-m", "PyInstaller", "--noconfirm", "--log-level", "WARN", "--distpath", "dist",
                     "--workpath", "build\pyinstaller", "installer\evaluator.spec")
foreach ($exe in @("evaluator.exe", "evaluatorw.exe")) {
    if (-not (Test-Path (Join-Path $Bundle $exe))) { throw "PyInstaller did not produce $exe" }
}

$Zip = Join-Path $Root "dist\evaluator-$Version-windows-x64.zip"
if (Test-Path $Zip) { Remove-Item -Force $Zip }
Compress-Archive -Path $Bundle -DestinationPath $Zip -CompressionLevel Optimal
Write-Host ("bundle:   {0} ({1:N0} MB)" -f $Bundle, ((Get-ChildItem $Bundle -Recurse -File | Measure-Object Length -Sum).Sum / 1MB))
Write-Host ("portable: {0} ({1:N1} MB)" -f $Zip, ((Get-Item $Zip).Length / 1MB))

if ($NoSetup) { exit 0 }
$Iscc = (Get-Command "iscc.exe" -ErrorAction SilentlyContinue | Select-Object -First 1 -ExpandProperty Source)
if (-not $Iscc) {
    $candidates = @(
        (Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6\ISCC.exe"),
        (Join-Path $env:ProgramFiles "Inno Setup 6\ISCC.exe"),
        (Join-Path $env:LOCALAPPDATA "Programs\Inno Setup 6\ISCC.exe")
    )
    $Iscc = $candidates | Where-Object { $_ -and (Test-Path $_) } | Select-Object -First 1
}
if (-not $Iscc) { throw "Inno Setup 6 (iscc.exe) not found: install it or use -NoSetup" }
Invoke-Checked $Iscc @("/Q", "/DAppVersion=$Version", "/DSourceDir=$Bundle", "/O$(Join-Path $Root 'dist')",
                       (Join-Path $Root "installer\windows\evaluator.iss"))
$Setup = Join-Path $Root "dist\evaluator-$Version-windows-x64-setup.exe"
if (-not (Test-Path $Setup)) { throw "Inno Setup did not produce $Setup" }
Write-Host ("setup:    {0} ({1:N1} MB)" -f $Setup, ((Get-Item $Setup).Length / 1MB))

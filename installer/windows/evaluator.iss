; Inno Setup 6 script: evaluator for one Windows user, without administrator rights.
;
;   iscc /DAppVersion=0.1.0 /DSourceDir=C:\src\evaluator\dist\evaluator /OC:\src\evaluator\dist evaluator.iss
;
; (installer\build.ps1 runs this after PyInstaller.) Result: dist\evaluator-VERSION-windows-x64-setup.exe
;
; - Installs into {userpf}\evaluator (%LOCALAPPDATA%\Programs\evaluator): PrivilegesRequired=lowest, and
;   no elevation offered, so it works on district-office laptops without an administrator.
; - Start-menu entry (per user), optional desktop icon.
; - .cchc team packages open with the app: HKCU\Software\Classes only (no HKLM). The file is passed as
;   the only argument: evaluatorw.exe "C:\...\team.cchc".
; - The user's things are NOT in {app}: projects in Documents\evaluator, settings, logs, backups and the
;   demo cache in %LOCALAPPDATA%\evaluator (platformdirs, see evaluator\paths.py). Upgrades
;   replace {app} only; the uninstaller removes {app}, the Start-menu entry and the association, and
;   leaves the user's projects and settings where they are.
; - Upgrades: the same AppId finds the previous installation (same folder, same Start-menu group);
;   the old _internal folder is removed first so no library of an older version stays behind.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef SourceDir
  #define SourceDir AddBackslash(SourcePath) + "..\..\dist\evaluator"
#endif
#define AppName "evaluator"
#define AppTitle "evaluator — Thẩm định Chỉ số CCHC"
#define ProgId "evaluator.cchc"

[Setup]
; Never change AppId: upgrades and the uninstaller find the installation by it.
AppId={{5E0C2B7A-8F1D-4C4B-9E63-2A7D1C9B4F10}
AppName={#AppTitle}
AppVersion={#AppVersion}
AppVerName={#AppTitle} {#AppVersion}
AppPublisher=evaluator
VersionInfoVersion={#AppVersion}
DefaultDirName={userpf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
UsePreviousAppDir=yes
PrivilegesRequired=lowest
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputBaseFilename=evaluator-{#AppVersion}-windows-x64-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
SetupIconFile=..\..\resources\icons\evaluator.ico
UninstallDisplayIcon={app}\evaluatorw.exe
UninstallDisplayName={#AppTitle}
ChangesAssociations=yes
CloseApplications=yes
RestartApplications=no

[Languages]
#if FileExists(AddBackslash(SourcePath) + "Vietnamese.isl")
; Vietnamese.isl is an unofficial Inno Setup translation: drop it beside this script to get a
; Vietnamese wizard (the workflow downloads it when it can). English otherwise.
Name: "vi"; MessagesFile: "Vietnamese.isl"
#endif
Name: "en"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
en.AssocTask=Open team packages (.cchc) with evaluator
en.AssocName=Appraisal team package (evaluator)
en.DesktopTask=Create a desktop icon
en.RunTask=Start evaluator now
#if FileExists(AddBackslash(SourcePath) + "Vietnamese.isl")
vi.AssocTask=Mở gói dữ liệu tổ thẩm định (.cchc) bằng evaluator
vi.AssocName=Gói dữ liệu tổ thẩm định (evaluator)
vi.DesktopTask=Tạo biểu tượng trên màn hình nền
vi.RunTask=Mở evaluator ngay
#endif

[Tasks]
Name: "assoc"; Description: "{cm:AssocTask}"
Name: "desktopicon"; Description: "{cm:DesktopTask}"; Flags: unchecked

[InstallDelete]
; an upgrade: remove the previous version's libraries (only inside the installation folder)
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{userprograms}\{#AppName}"; Filename: "{app}\evaluatorw.exe"; WorkingDir: "{userdocs}"; IconFilename: "{app}\evaluatorw.exe"; Comment: "{#AppTitle}"
Name: "{userdesktop}\{#AppName}"; Filename: "{app}\evaluatorw.exe"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Registry]
; .cchc → evaluator.cchc (per user). OpenWithProgids keeps the entry in "Open with" even if the user
; chose another default; uninsdeletevalue/uninsdeletekey remove only what this installer wrote.
Root: HKCU; Subkey: "Software\Classes\.cchc"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}"; Flags: uninsdeletevalue; Tasks: assoc
Root: HKCU; Subkey: "Software\Classes\.cchc\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue; Tasks: assoc
Root: HKCU; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "{cm:AssocName}"; Flags: uninsdeletekey; Tasks: assoc
Root: HKCU; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\evaluatorw.exe,0"; Tasks: assoc
Root: HKCU; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\evaluatorw.exe"" ""%1"""; Tasks: assoc
; `evaluator` from the Run dialog (Win+R) and from cmd/PowerShell started by the shell
Root: HKCU; Subkey: "Software\Microsoft\Windows\CurrentVersion\App Paths\evaluator.exe"; ValueType: string; ValueName: ""; ValueData: "{app}\evaluator.exe"; Flags: uninsdeletekey
Root: HKCU; Subkey: "Software\Microsoft\Windows\CurrentVersion\App Paths\evaluator.exe"; ValueType: string; ValueName: "Path"; ValueData: "{app}"

[Run]
Filename: "{app}\evaluatorw.exe"; Description: "{cm:RunTask}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; only the installation folder: the user's projects, settings, logs and backups are elsewhere and stay
Type: filesandordirs; Name: "{app}\_internal"
Type: dirifempty; Name: "{app}"

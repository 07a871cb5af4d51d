; Inno Setup 6 script of the caseworker installer for Windows (Inno Setup 6.3 or later).
;
;   .venv\Scripts\pyinstaller --noconfirm --clean caseworker.spec   -> dist\caseworker\
;   ISCC.exe /DAppVersion=0.1.0 installer.iss                      -> dist\installer\
;
; It packs the PyInstaller one-folder build (caseworker.spec) as it is. The program goes into
; the program folder ({autopf}: %LOCALAPPDATA%\Programs for the default per-user install, no
; administrator rights; Program Files when "all users" is chosen). The user's data NEVER live
; there: the application keeps them in the user profile (platformdirs' user data folder,
; %LOCALAPPDATA%\caseworker: the encrypted store, its automatic backups, the log files; the
; keys in the Windows Credential Manager; the settings in HKCU\Software\caseworker), so an
; upgrade installed over the old version keeps them (same AppId), and the uninstaller leaves
; them and says where they are. The schema of an older store is upgraded by the application at
; the first unlock, after an encrypted copy in the store's backups\ folder.
;
; tests/e2e/test_frozen_build.py checks that every file and folder named here exists in the
; frozen build and that the default AppVersion below is caseworker_app.__version__.

#if VER < EncodeVer(6, 3, 0)
  #error Inno Setup 6.3 or later is needed (x64compatible, UTF-8 without BOM)
#endif

#ifndef AppVersion
  ; ISCC.exe /DAppVersion=... overrides it (the CI workflow passes caseworker_app.__version__)
  #define AppVersion "0.1.0"
#endif

[Setup]
; Fixed for ever: Windows recognises an upgrade of the same application by it.
AppId={{D1BCCC37-F40B-4366-A2BA-947169768CC3}
AppName=Caseworker
AppVersion={#AppVersion}
AppVerName=Caseworker {#AppVersion}
AppPublisher=caseworker
VersionInfoDescription=Installazione di Caseworker
VersionInfoProductName=Caseworker
VersionInfoProductTextVersion={#AppVersion}
; Per-user install by default (no administrator rights); the first page offers all users.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
DefaultDirName={autopf}\caseworker
DefaultGroupName=Caseworker
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; PySide6 (Qt 6) needs Windows 10 or later
MinVersion=10.0
ShowLanguageDialog=no
WizardStyle=modern
SetupIconFile=resources\caseworker.ico
UninstallDisplayIcon={app}\caseworker-app.exe
UninstallDisplayName=Caseworker
; A running Caseworker is closed (Restart Manager) before its files are replaced; its data are
; saved as they are typed, and the store is closed cleanly when the window closes.
CloseApplications=yes
CloseApplicationsFilter=*.exe,*.dll,*.pyd
RestartApplications=no
Compression=lzma2/max
SolidCompression=yes
OutputDir=dist\installer
OutputBaseFilename=caseworker-{#AppVersion}-setup

[Languages]
Name: "italian"; MessagesFile: "compiler:Languages\Italian.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; The previous version's program files only, so that no library of an older build is left
; beside the new ones. Never the data: they are not under {app}.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
; dist\caseworker\: caseworker-app.exe (windowed), caseworker.exe (console), _internal\
; (Python, Qt, the libraries, forms\, resources\, the Alembic migrations) and data\
; (python-codicefiscale's read-only tables of comuni and countries: the library looks for them
; beside the executable; they are program files, not the user's data).
Source: "dist\caseworker\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\Caseworker"; Filename: "{app}\caseworker-app.exe"; WorkingDir: "{userdocs}"; Comment: "Cartella sociale e istruttorie"
Name: "{group}\Strumenti\Autodiagnosi di Caseworker"; Filename: "{cmd}"; Parameters: "/k set ""PATH={app};%PATH%"" & caseworker self-test"; WorkingDir: "{userdocs}"; IconFilename: "{app}\caseworker.exe"; Comment: "Prova archivio cifrato, definizioni, stampa e trasmissione in una cartella temporanea"
Name: "{group}\Strumenti\Riga di comando di Caseworker"; Filename: "{cmd}"; Parameters: "/k set ""PATH={app};%PATH%"" & caseworker --help"; WorkingDir: "{userdocs}"; IconFilename: "{app}\caseworker.exe"; Comment: "Il comando caseworker (backup, ripristino, verifiche)"
Name: "{group}\Strumenti\Disinstalla Caseworker"; Filename: "{uninstallexe}"
Name: "{autodesktop}\Caseworker"; Filename: "{app}\caseworker-app.exe"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Run]
Filename: "{app}\caseworker-app.exe"; Description: "{cm:LaunchProgram,Caseworker}"; WorkingDir: "{userdocs}"; Flags: nowait postinstall skipifsilent

[Code]
{ Where the application keeps this user's data (app.py: platformdirs.user_data_dir). }
function DataDir(): String;
begin
  Result := ExpandConstant('{localappdata}\caseworker');
end;

{ True when Candidate is Folder or lies inside it (case-insensitive, as Windows paths are). }
function IsWithin(Candidate, Folder: String): Boolean;
begin
  Result := Pos(AddBackslash(Lowercase(Folder)), AddBackslash(Lowercase(Candidate))) = 1;
end;

{ The program folder and the data folder must stay apart: refuse a program folder inside the
  data folder, or one that holds it. }
function NextButtonClick(CurPageID: Integer): Boolean;
begin
  Result := True;
  if (CurPageID = wpSelectDir) and
     (IsWithin(WizardDirValue, DataDir()) or IsWithin(DataDir(), WizardDirValue)) then
  begin
    SuppressibleMsgBox('Questa cartella contiene i dati di Caseworker (' + DataDir() + ').' + #13#10 +
      'Scegli un''altra cartella per il programma: i dati restano dove sono.',
      mbError, MB_OK, IDOK);
    Result := False;
  end;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Where: String;
begin
  if CurUninstallStep <> usPostUninstall then
    exit;
  if IsAdminInstallMode() then
    Where := 'nella cartella %LOCALAPPDATA%\caseworker di ogni utente che lo ha usato' + #13#10 +
      '(per te: ' + DataDir() + ')'
  else
    Where := 'nella cartella' + #13#10 + DataDir();
  SuppressibleMsgBox('Caseworker è stato disinstallato, ma i tuoi dati NON sono stati cancellati.' +
    #13#10#13#10 +
    'L''archivio cifrato, i suoi backup automatici e i file di log restano ' + Where +
    #13#10 + '(o nella cartella dell''archivio scelta alla sua creazione); le chiavi restano in ' +
    'Gestione credenziali di Windows (voci caseworker/...).' + #13#10#13#10 +
    'Reinstallando Caseworker li ritroverai. Per cancellarli definitivamente, dopo averne ' +
    'fatto un backup se servono, elimina quella cartella.',
    mbInformation, MB_OK, IDOK);
end;

#!/usr/bin/env python3
"""Turns an installed Windows build of Handshake into what people download.

    package.py --install DIR --stack PREFIX --out DIST --version V [--msi-version V]

DIR is a `meson install --destdir` of the Windows build (bin/ and share/).
The result is one flat folder, handshake.exe and handshake-cli.exe beside
the DLLs they load and share/ beside them, because that is what someone
who unzips and double-clicks expects, and what GLib's relocation
(g_win32_get_package_installation_directory_of_module) and GTK's icon
lookup find. From it:

  DIST/handshake-V-windows-x64.zip   portable: unzip anywhere, no admin
  DIST/handshake-V-x64.msi           per user, %LOCALAPPDATA%\\Programs\\Handshake,
                                     Start-menu shortcut, uninstall entry,
                                     major upgrade of any older version

Only what the program uses goes in: the DLLs reached from the two programs
(walked through their import tables), the GTK, libadwaita and GLib
catalogues of the languages Handshake is translated into, and the icons
its interface names. Binaries are stripped.
"""
import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import uuid
import zipfile
from xml.sax.saxutils import quoteattr

HOST = "x86_64-w64-mingw32"
PROGRAMS = ["handshake.exe", "handshake-cli.exe"]
# Never change: Windows Installer finds the older versions to replace by it.
UPGRADE_CODE = "{3E6A1F0B-9C4D-4B7E-8A52-6D1F0C9B2E47}"
# Component GUIDs are derived from this and the file's path, so the same file
# keeps its component from one version to the next.
GUID_NAMESPACE = uuid.UUID("8b3f7e0a-5d1c-4a6f-9e2b-1c0d4f7a6b93")

# DLLs every Windows 10/11 has; anything else must come from the stack.
SYSTEM_DLLS = {
    "advapi32.dll", "bcrypt.dll", "cfgmgr32.dll", "comctl32.dll", "comdlg32.dll",
    "crypt32.dll", "d3d11.dll", "dnsapi.dll", "dwmapi.dll", "dwrite.dll", "dxgi.dll",
    "gdi32.dll", "gdiplus.dll", "hid.dll", "imm32.dll", "iphlpapi.dll", "kernel32.dll",
    "msimg32.dll", "msvcrt.dll", "netapi32.dll", "ntdll.dll", "ole32.dll", "oleaut32.dll",
    "opengl32.dll", "rpcrt4.dll", "secur32.dll", "setupapi.dll", "shell32.dll",
    "shlwapi.dll", "user32.dll", "userenv.dll", "usp10.dll", "uxtheme.dll", "version.dll",
    "winhttp.dll", "winmm.dll", "winspool.drv", "ws2_32.dll", "wtsapi32.dll", "dbghelp.dll",
    "psapi.dll", "shcore.dll", "wininet.dll", "normaliz.dll", "mpr.dll",
}
SYSTEM_PREFIXES = ("api-ms-win-", "ext-ms-")

# Debian binary packages whose copyright files describe the same source
# packages the stack is built from (and the mingw-w64 runtime).
LICENSE_PACKAGES = [
    "libglib2.0-0", "libgtk-4-1", "libadwaita-1-0", "libcairo2", "libpango-1.0-0",
    "libharfbuzz0b", "libfribidi0", "libpixman-1-0", "libpng16-16", "libjpeg62-turbo",
    "libtiff6", "libgraphene-1.0-0", "libepoxy0", "libgdk-pixbuf-2.0-0", "libffi8",
    "libpcre2-8-0", "gettext-base", "libjansson4", "zlib1g", "adwaita-icon-theme",
    "gcc-mingw-w64-base", "mingw-w64-common",
]

ADWAITA = "/usr/share/icons/Adwaita"
# Icon sizes GTK asks for at 100 % and 200 % scale.
ICON_SIZES = ["16x16", "24x24", "32x32", "48x48", "64x64"]


def run(*cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw).stdout


def imports(path):
    out = run(f"{HOST}-objdump", "-p", path)
    return [m.group(1) for m in re.finditer(r"DLL Name: (\S+)", out)]


def copy_dlls(stack_bin, dest):
    """Copies every DLL the programs reach, transitively; fails on one that
    is neither in the stack nor a Windows DLL."""
    pending = [os.path.join(dest, p) for p in PROGRAMS]
    seen = set()
    missing = []
    while pending:
        for name in imports(pending.pop()):
            low = name.lower()
            if low in seen or low in SYSTEM_DLLS or low.startswith(SYSTEM_PREFIXES):
                continue
            seen.add(low)
            src = os.path.join(stack_bin, name)
            if not os.path.exists(src):
                missing.append(name)
                continue
            shutil.copy2(src, os.path.join(dest, name))
            pending.append(os.path.join(dest, name))
    if missing:
        sys.exit(f"package.py: DLLs neither in the stack nor in Windows: {', '.join(sorted(missing))}")
    return sorted(seen)


def icon_names(source_root):
    """The icon names the interface uses: every "…-symbolic" in ui/."""
    names = set()
    for dirpath, _, files in os.walk(os.path.join(source_root, "ui")):
        for f in files:
            if f.endswith((".c", ".ui", ".h")):
                with open(os.path.join(dirpath, f), encoding="utf-8") as fh:
                    names.update(re.findall(r"[\"'>]([a-z][a-z0-9-]*-symbolic)[\"'<]", fh.read()))
    return sorted(names)


def copy_icons(source_root, dest_share):
    """Adwaita's pre-rendered symbolic PNGs (the Debian binary package
    adwaita-icon-theme; its source tarball is not served here). PNG because
    the Windows gdk-pixbuf is built with the PNG loader only: no SVG."""
    theme = os.path.join(dest_share, "icons", "Adwaita")
    dirs = set()
    found = set()
    for size in ICON_SIZES:
        for context in sorted(os.listdir(os.path.join(ADWAITA, size))):
            for name in icon_names(source_root):
                src = os.path.join(ADWAITA, size, context, name + ".symbolic.png")
                if os.path.exists(src):
                    os.makedirs(os.path.join(theme, size, context), exist_ok=True)
                    shutil.copy2(src, os.path.join(theme, size, context))
                    dirs.add(f"{size}/{context}")
                    found.add(name)
    lost = set(icon_names(source_root)) - found
    if lost:
        sys.exit(f"package.py: icons not in {ADWAITA}: {', '.join(sorted(lost))}")
    with open(os.path.join(theme, "index.theme"), "w", encoding="utf-8") as f:
        f.write("[Icon Theme]\nName=Adwaita\nComment=The icons Handshake uses, from Adwaita\n"
                "Inherits=hicolor\nHidden=true\n")
        f.write("Directories=" + ",".join(sorted(dirs)) + "\n")
        for d in sorted(dirs):
            size = d.split("x")[0]
            f.write(f"\n[{d}]\nSize={size}\nType=Fixed\n")
    return sorted(found)


def copy_catalogues(stack_share, dest_share, languages):
    """GTK's, libadwaita's and GLib's own translations (button labels,
    dialogs, dates) for the languages Handshake itself speaks."""
    for lang in languages:
        src = os.path.join(stack_share, "locale", lang, "LC_MESSAGES")
        if not os.path.isdir(src):
            continue
        dst = os.path.join(dest_share, "locale", lang, "LC_MESSAGES")
        os.makedirs(dst, exist_ok=True)
        # Not gtk40-properties.mo: property blurbs only GTK's inspector shows.
        for mo in ("gtk40.mo", "libadwaita.mo", "glib20.mo"):
            if os.path.exists(os.path.join(src, mo)):
                shutil.copy2(os.path.join(src, mo), dst)


def compile_schemas(stack_share, dest_share):
    """GTK reads its own settings schemas when it falls back to its own file
    chooser or opens the emoji chooser from a text field's menu; a schema
    that is missing aborts the program. Compiled here (the format does not
    depend on the platform) and shipped compiled only."""
    src = os.path.join(stack_share, "glib-2.0", "schemas")
    dst = os.path.join(dest_share, "glib-2.0", "schemas")
    os.makedirs(dst, exist_ok=True)
    run("glib-compile-schemas", "--strict", f"--targetdir={dst}", src)


def copy_licenses(source_root, dest_share):
    dst = os.path.join(dest_share, "licenses")
    os.makedirs(dst, exist_ok=True)
    gpl = "/usr/share/common-licenses/GPL-3"
    shutil.copy2(gpl, os.path.join(dst, "handshake-GPL-3.txt"))
    lost = []
    for pkg in LICENSE_PACKAGES:
        src = f"/usr/share/doc/{pkg}/copyright"
        if os.path.exists(src):
            shutil.copy2(src, os.path.join(dst, f"{pkg}.txt"))
        else:
            lost.append(pkg)
    if lost:
        sys.exit(f"package.py: no copyright file for {', '.join(lost)} (apt-get install them)")


def strip(folder):
    for dirpath, _, files in os.walk(folder):
        for f in files:
            if f.endswith((".exe", ".dll")):
                run(f"{HOST}-strip", "--strip-all", os.path.join(dirpath, f))


def make_zip(folder, top, path):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for dirpath, _, files in sorted(os.walk(folder)):
            for f in sorted(files):
                full = os.path.join(dirpath, f)
                z.write(full, os.path.join(top, os.path.relpath(full, folder)))


def component_guid(rel):
    return "{" + str(uuid.uuid5(GUID_NAMESPACE, rel.replace("\\", "/").lower())).upper() + "}"


def ident(prefix, rel):
    return prefix + hashlib.sha1(rel.encode()).hexdigest()[:20]


def write_wxs(folder, version, path):
    """A WiX 3 source for wixl: per-user, no elevation, under
    %LOCALAPPDATA%\\Programs\\Handshake (the folder Windows uses for per-user
    programs, FOLDERID_UserProgramFiles)."""
    lines = []
    comps = []

    def walk(rel, indent):
        full = os.path.join(folder, rel)
        first = True
        for name in sorted(os.listdir(full)):
            r = os.path.join(rel, name) if rel else name
            if os.path.isdir(os.path.join(folder, r)):
                lines.append(f'{indent}<Directory Id="{ident("D", r)}" Name={quoteattr(name)}>')
                walk(r, indent + "  ")
                lines.append(f"{indent}</Directory>")
            else:
                cid = ident("C", r)
                comps.append(cid)
                # wixl resolves Source against the folder it runs in, and
                # only relative paths. The first file of each folder also
                # removes that folder on uninstall: Windows Installer leaves
                # folders it made in a user profile otherwise.
                remove = f'<RemoveFolder Id="{ident("R", r)}" On="uninstall"/>' if first else ""
                first = False
                lines.append(f'{indent}<Component Id="{cid}" Guid="{component_guid(r)}">'
                             f'<File Id="{ident("F", r)}" Name={quoteattr(name)} '
                             f'Source={quoteattr(r)} KeyPath="yes"/>{remove}</Component>')

    walk("", "              ")
    tree = "\n".join(lines)
    refs = "\n".join(f'      <ComponentRef Id="{c}"/>' for c in comps)
    exe = os.path.join(folder, "handshake.exe")
    ico = os.path.join("share", "handshake", "handshake.ico")
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"""<?xml version="1.0" encoding="utf-8"?>
<!-- Generated by build-aux/windows/package.py; do not edit. -->
<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">
  <Product Id="*" Name="Handshake" Language="1033" Version="{version}"
           Manufacturer="The Handshake developers" UpgradeCode="{UPGRADE_CODE}">
    <Package InstallerVersion="500" Compressed="yes" InstallScope="perUser"
             Description="Handshake {version}: fixes the Teams sign-in error 0xCAA20003"/>
    <MajorUpgrade DowngradeErrorMessage="A newer version of Handshake is already installed."/>
    <Media Id="1" Cabinet="handshake.cab" EmbedCab="yes"/>
    <Icon Id="handshake.ico" SourceFile={quoteattr(ico)}/>
    <Property Id="ARPPRODUCTICON" Value="handshake.ico"/>
    <Property Id="ARPNOMODIFY" Value="1"/>
    <Property Id="ARPNOREPAIR" Value="1"/>
    <Directory Id="TARGETDIR" Name="SourceDir">
      <Directory Id="LocalAppDataFolder">
        <Directory Id="UserPrograms" Name="Programs">
          <Directory Id="INSTALLDIR" Name="Handshake">
{tree}
          </Directory>
        </Directory>
      </Directory>
      <Directory Id="ProgramMenuFolder"/>
    </Directory>
    <DirectoryRef Id="ProgramMenuFolder">
      <Component Id="StartMenu" Guid="{component_guid('start-menu-shortcut')}">
        <Shortcut Id="HandshakeShortcut" Name="Handshake"
                  Description="Fix the Teams sign-in error 0xCAA20003"
                  Target="[INSTALLDIR]handshake.exe" WorkingDirectory="INSTALLDIR"/>
        <RegistryValue Root="HKCU" Key="Software\\Handshake" Name="InstallDir" Type="string"
                       Value="[INSTALLDIR]" KeyPath="yes"/>
      </Component>
    </DirectoryRef>
    <Feature Id="Handshake" Title="Handshake" Level="1">
      <ComponentRef Id="StartMenu"/>
{refs}
    </Feature>
  </Product>
</Wix>
""")
    if not os.path.exists(exe):
        sys.exit("package.py: handshake.exe missing from the folder")


def build_msi(folder, version, out):
    wxs = os.path.join(out, f"handshake-{version}-x64.wxs")
    msi = os.path.join(out, f"handshake-{version}-x64.msi")
    write_wxs(folder, version, wxs)
    subprocess.run(["wixl", "-a", "x64", "-o", os.path.abspath(msi), os.path.abspath(wxs)],
                   check=True, cwd=folder)
    os.remove(wxs)
    return msi


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--install", help="meson install --destdir of the Windows build")
    ap.add_argument("--stack", help="prefix of build-aux/windows/build-stack.sh")
    ap.add_argument("--msi-from", metavar="FOLDER",
                    help="only build an MSI of an assembled folder (an unpacked zip)")
    ap.add_argument("--source", default=os.path.join(os.path.dirname(__file__), "..", ".."))
    ap.add_argument("--out", required=True)
    ap.add_argument("--version", required=True)
    ap.add_argument("--msi-version", help="version written into the MSI (tests of major upgrades)")
    ap.add_argument("--work", help="folder for the assembled tree (default: OUT/handshake-VERSION)")
    a = ap.parse_args()

    src = os.path.abspath(a.source)
    os.makedirs(a.out, exist_ok=True)
    if a.msi_from:
        print(build_msi(os.path.abspath(a.msi_from), a.msi_version or a.version, a.out))
        return
    if not a.install or not a.stack:
        ap.error("--install and --stack are needed to assemble")
    folder = os.path.abspath(a.work or os.path.join(a.out, f"handshake-{a.version}"))
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)

    inst_bin = os.path.join(a.install, "bin")
    for p in PROGRAMS:
        shutil.copy2(os.path.join(inst_bin, p), folder)
    shutil.copytree(os.path.join(a.install, "share"), os.path.join(folder, "share"))
    share = os.path.join(folder, "share")
    dlls = copy_dlls(os.path.join(a.stack, "bin"), folder)
    with open(os.path.join(src, "po", "LINGUAS"), encoding="utf-8") as f:
        langs = [l.strip() for l in f if l.strip() and not l.startswith("#")]
    copy_catalogues(os.path.join(a.stack, "share"), share, langs)
    compile_schemas(os.path.join(a.stack, "share"), share)
    icons = copy_icons(src, share)
    shutil.copy2(os.path.join(src, "data", "windows", "handshake.ico"), os.path.join(share, "handshake"))
    copy_licenses(src, share)
    strip(folder)

    zip_path = os.path.join(a.out, f"handshake-{a.version}-windows-x64.zip")
    make_zip(folder, f"handshake-{a.version}", zip_path)
    msi = build_msi(folder, a.msi_version or a.version, a.out)

    print(f"DLLs: {len(dlls)}; icons: {len(icons)}")
    for p in (zip_path, msi):
        print(f"{p}\t{os.path.getsize(p)} bytes")


if __name__ == "__main__":
    main()

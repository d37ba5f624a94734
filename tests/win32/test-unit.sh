# Unit tests of core/win32 inside Wine: argument quoting against
# CommandLineToArgvW, e-mail scanning, Get-AppxPackage parsing, the vtable.
tool unit

#!/usr/bin/env python3
"""Embed a UTF-8 text file as a C string: embed-text.py SYMBOL INPUT OUTPUT."""
import sys

symbol, src, dst = sys.argv[1:4]
with open(src, "rb") as f:
    data = f.read()
data.decode("utf-8")  # refuse a file that is not UTF-8
with open(dst, "w", encoding="ascii") as out:
    out.write("/* Generated from %s; do not edit. */\n" % src.replace("\\", "/").split("/")[-1])
    out.write("const char %s[] =\n" % symbol)
    for line in data.splitlines(keepends=True):
        esc = "".join(
            c if 32 <= ord(c) < 127 and c not in '"\\?' else "\\%03o" % ord(c)
            for c in line.decode("latin-1")
        )
        out.write('  "%s"\n' % esc)
    out.write("  ;\n")

#!/usr/bin/env python3
# Copyright (C) 2026 The Teken developers
# SPDX-License-Identifier: GPL-3.0-or-later
"""add-sig-field.py IN OUT [NAME]

Writes a copy of IN with one empty, invisible signature field (/FT /Sig, no /V) on page 1, because
`mutool sign` cannot create a field (it only fills existing empty ones). Uses qpdf's JSON v2 update
(qpdf rewrites the file; streams are kept as they are). Standard library + qpdf only.
"""
import json
import subprocess
import sys
import tempfile


def qpdf_json(path, key):
    out = subprocess.run(["qpdf", "--json-output=2", "--json-key=" + key, "--json-stream-data=none", path, "-"],
                         check=True, capture_output=True).stdout
    return json.loads(out)


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    src, dst = sys.argv[1], sys.argv[2]
    name = sys.argv[3] if len(sys.argv) == 4 else "Signature1"

    meta, objs = qpdf_json(src, "qpdf")["qpdf"]
    page_ref = qpdf_json(src, "pages")["pages"][0]["object"]
    root_ref = objs["trailer"]["value"]["/Root"]
    field_ref = "%d 0 R" % (meta["maxobjectid"] + 1)

    page = objs["obj:" + page_ref]["value"]
    root = objs["obj:" + root_ref]["value"]
    if isinstance(page.get("/Annots"), str) or "/AcroForm" in root:
        sys.exit("add-sig-field: indirect /Annots or an existing /AcroForm are not handled")
    page["/Annots"] = page.get("/Annots", []) + [field_ref]
    root["/AcroForm"] = {"/Fields": [field_ref]}
    widget = {"/Type": "/Annot", "/Subtype": "/Widget", "/FT": "/Sig", "/T": "u:" + name,
              "/Rect": [0, 0, 0, 0], "/F": 4, "/P": page_ref}

    update = {"qpdf": [{"jsonversion": 2, "pushedinheritedpageresources": False, "calledgetallpages": False,
                        "maxobjectid": meta["maxobjectid"] + 1},
                       {"obj:" + field_ref: {"value": widget},
                        "obj:" + page_ref: {"value": page},
                        "obj:" + root_ref: {"value": root}}]}
    with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
        json.dump(update, f)
        f.flush()
        subprocess.run(["qpdf", "--compress-streams=n", "--decode-level=none", "--object-streams=preserve",
                        "--update-from-json=" + f.name, src, dst], check=True)


if __name__ == "__main__":
    main()

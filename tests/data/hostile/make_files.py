#!/usr/bin/env python3
"""Writes the hostile files of `files/`: each small, each made to break a reader that trusts
its input (a quote that swallows the file, rows wider than Excel allows, a workbook whose used
range is the whole sheet, a zip that claims gigabytes, a PX cube no file can hold). Re-run after
changing a case; the files are checked in so that the tests read real bytes, and each has a
hand-checked <case>.expected.json next to it (`UPDATE_EXPECT=1 cargo test -p samsyn-core --test
hostile` writes the missing ones, for review). Files too large to commit (a 50 MB field) are
made by the tests themselves."""
import io, os, struct, zipfile

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "files")
DATE = (2024, 1, 1, 0, 0, 0)

def w(name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)

# --- Delimited text ------------------------------------------------------------------------
rows = "".join(f"{2480 + i % 3},K,{i % 90},I10\n" for i in range(20))
w("unclosed_quote_swallows_rows.csv",
  "kommun,sex,age,cause\n2480,M,70,S72\n2481,K,81,\"I10\n" + rows)
w("stray_quote_swallows_rows.csv",
  "kommun,sex,age,cause\n2480,M,70,\"S72\n" + "".join(rows.splitlines(True)[:5]) + "2482,K,1,\"I10\"\n2480,M,2,J18\n")
w("ragged_rows.csv",
  "kommun;antal\n2480;5\n2481\n2482;1;2;3;4;5;6;7;8;9\n;;;;;;;;;;;;;;;;;;\n2480;6;\n\n2481;7\n")
# 16 384 fields fit (Excel's limit); 16 385 do not.
w("too_many_columns_header.csv", "c," * 16384 + "c\n1,2\n")
w("too_many_columns_row.csv",
  "kommun,antal\n2480,5\n" + "," * 16384 + "\n2481,6\n" + "," * 16383 + "\n")
w("non_utf8_bytes.csv",
  b"kommun;namn;antal\r\n2480;Ume\xe5;5\r\n2481;\xff\xfe\xfd;6\r\n2482;\xc3;7\r\n2483;\x81\x8d\x8f\x90\x9d;8\r\n")
w("nul_bytes_in_text.csv", b"kommun,antal\n2480,5\n\x00\x00\x00\x00,6\n")

# --- Workbooks -------------------------------------------------------------------------------
def xlsx(cells, sheet_xml_extra="", dimension=None):
    """A minimal xlsx of one sheet: `cells` is [(ref, inline string)]."""
    body = "".join(
        f'<row r="{"".join(ch for ch in ref if ch.isdigit())}"><c r="{ref}" t="inlineStr"><is><t>{v}</t></is></c></row>'
        for ref, v in cells)
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = ('<?xml version="1.0" encoding="UTF-8"?>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f'{dim}<sheetData>{body}</sheetData>{sheet_xml_extra}</worksheet>')
    files = {
        "[Content_Types].xml":
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '</Types>',
        "_rels/.rels":
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            '</Relationships>',
        "xl/workbook.xml":
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels":
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            '</Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, text in files.items():
            z.writestr(zipfile.ZipInfo(name, DATE), text, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()

def claim_size(data, entry, size):
    """Rewrites the uncompressed size of `entry` in the zip's central directory (a lie)."""
    data = bytearray(data)
    at = 0
    while True:
        at = data.find(b"PK\x01\x02", at)
        if at < 0:
            raise ValueError(entry)
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46:at + 46 + name_len] == entry.encode():
            struct.pack_into("<I", data, at + 24, size)
            return bytes(data)
        at += 4

# One cell at A1 and one at XFD1048576: the bounding box is the whole sheet.
w("dense_corners.xlsx", xlsx([("A1", "kommun"), ("XFD1048576", "x")], dimension="A1:XFD1048576"))
# The directory claims 4 GB for the sheet: refused before anything is unpacked.
w("zip_claims_4gb.xlsx", claim_size(xlsx([("A1", "kommun"), ("A2", "2480")]), "xl/worksheets/sheet1.xml", 0xFFFFFFF0))
# The directory claims 100 bytes for a sheet that unpacks to 100 KB: the zip reader stops at 100.
big = [("A1", "kommun")] + [(f"A{r}", "2480") for r in range(2, 2000)]
w("zip_understates_size.xlsx", claim_size(xlsx(big), "xl/worksheets/sheet1.xml", 100))

MANIFEST = ('<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    '</manifest:manifest>')

def ods(rows_xml, sheet="Blad1"):
    content = ('<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="{sheet}">'
        + rows_xml + '</table:table></office:spreadsheet></office:body></office:document-content>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype", DATE), "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr(zipfile.ZipInfo("content.xml", DATE), content, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr(zipfile.ZipInfo("META-INF/manifest.xml", DATE), MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()

cell = lambda v: f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'
# A1, then 1 048 574 repeated empty rows, then a value in the last column of the last row.
w("dense_corners.ods", ods(
    f'<table:table-row>{cell("kommun")}</table:table-row>'
    '<table:table-row table:number-rows-repeated="1048574"><table:table-cell/></table:table-row>'
    f'<table:table-row><table:table-cell table:number-columns-repeated="16383"/>{cell("x")}</table:table-row>'))
# One value repeated over 16 384 columns and a million rows.
w("repeated_value.ods", ods(
    '<table:table-row table:number-rows-repeated="1048576">'
    f'<table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>'
    '</table:table-row>'))
# What LibreOffice writes: styled empty cells repeated to the sheet's end. Read as the table.
w("styled_empty_to_sheet_end.ods", ods(
    f'<table:table-row>{cell("kommun")}{cell("antal")}<table:table-cell table:number-columns-repeated="16382"/></table:table-row>'
    f'<table:table-row>{cell("2480")}<table:table-cell office:value-type="float" office:value="5"><text:p>5</text:p></table:table-cell>'
    '<table:table-cell table:number-columns-repeated="16382"/></table:table-row>'
    '<table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>'))

# --- PX ----------------------------------------------------------------------------------------
def px(variables, data):
    out = ['CHARSET="ANSI";', 'MATRIX="T";', 'UNITS="antal";']
    names = [v for v, _ in variables]
    out.append("STUB=" + ",".join(f'"{n}"' for n in names[:-1]) + ";")
    out.append(f'HEADING="{names[-1]}";')
    for n, values in variables:
        out.append(f'VALUES("{n}")=' + ",".join(f'"{v}"' for v in values) + ";")
    out.append("DATA=")
    out.append(" ".join(data) + ";")
    return "\n".join(out) + "\n"

# 30 variables, the first eight with two values: 256 cells.
many = [(f"v{i}", ["a", "b"] if i < 8 else ["a"]) for i in range(30)]
w("many_variables.px", px(many, [str(i) for i in range(256)]))
# Five variables of 100 values each describe 10^10 cells, with three values of data.
w("huge_cube.px", px([(f"v{i}", [str(j) for j in range(100)]) for i in range(5)], ["1", "2", "3"]))

# --- Old Excel (.xls) ----------------------------------------------------------------------------
# Patched copies of calamine's tests/date.xls (MIT; also a fuzz seed): the worksheet's records
# are walked in place, as its mini stream lies in consecutive sectors of this file.
base = open(os.path.join(HERE, "../../../../fuzz/seeds/workbook/date.xls"), "rb").read()

def patch_sheet(data, edit):
    data = bytearray(data)
    at = data.find(bytes([0x09, 0x08, 0x10, 0x00, 0x00, 0x06, 0x10, 0x00]))  # worksheet BOF
    while at >= 0 and at < len(data) - 4:
        typ, length = struct.unpack_from("<HH", data, at)
        if typ == 0x000A:
            break
        if edit(data, typ, at + 4, length):
            return bytes(data)
        at += 4 + length
    raise ValueError("record not found")

def far_number(data, typ, at, length):
    if typ == 0x0203:  # NUMBER: move it to row 65 536, column IV
        struct.pack_into("<HH", data, at, 0xFFFF, 0xFF)
        return True

def huge_dimensions(data, typ, at, length):
    if typ == 0x0200 and length == 14:  # DIMENSIONS: claim 4 294 967 295 rows
        struct.pack_into("<I", data, at + 4, 0xFFFFFFFF)
        return True

w("dense_corners.xls", patch_sheet(base, far_number))
w("dimensions_claim_4g_rows.xls", patch_sheet(base, huge_dimensions))

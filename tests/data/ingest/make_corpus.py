#!/usr/bin/env python3
"""Writes the text, PX and ODS files of the ingest corpus (the .xlsx files are written by
`cargo run -p samsyn-core --example make_corpus_workbooks`). Re-run after changing a case; the
files are checked in so that the corpus is real bytes, and each has a hand-checked
<case>.expected.json next to it."""
import io, os, random, zipfile

HERE = os.path.dirname(os.path.abspath(__file__))

def w(name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)

# --- Dialects and encodings (good files) ---------------------------------------------------
w("utf8_comma_lf.csv",
  "event_id,person_id,year,date,deso,kommun,vardcentral,sex,age,event_type,cause,value\n"
  "1,P001,2024,2024-03-01,2480C1010,2480,Ålidhem,K,71,besök,I10,1.5\n"
  "2,P002,2024,2024-03-02,2482C1020,2482,Skellefteå centrum,M,83,inläggning,S72,2.25\n"
  "3,P001,2024,2024-03-05,2480C1010,2480,Ålidhem,K,71,besök,I10,0.5\n")
w("utf8_bom_semicolon_crlf_decimal_comma.csv",
  "\ufeffKommun;Kommunnamn;Befolkning;Andel 65+\r\n"
  "2480;Umeå;130 224;17,5\r\n2482;Skellefteå;74 520;22,25\r\n2401;Nordmaling;7 042;28,0\r\n")
w("windows1252_semicolon.csv",
  "Kommun;Vårdcentral;Kön;Ålder;Antal\r\n"
  "2480;Ålidhem;K;67;12\r\n2480;Tegs hälsocentral;M;72;8\r\n2463;Åsele;K;81;3\r\n".encode("cp1252"))
w("iso8859_1_tab.tsv",
  "kommun\tkommunnamn\tantal\n2463\tÅsele\t4\n2482\tSkellefteå\t9\n".encode("latin-1"))
t = "Kommun\tÅr\tAntal\r\n2480\t2023\t1 204\r\n2481\t2023\t310\r\n"
w("utf16le_bom_tab.txt", b"\xff\xfe" + t.encode("utf-16-le"))
w("utf16be_bom_tab.txt", b"\xfe\xff" + t.encode("utf-16-be"))
w("pipe_cr_only.csv", "deso|kon|antal\r2480C1010|K|5\r2480C1020|M|7\r2482A0010|K|0\r")
w("quoted_fields.csv",
  'vardcentral,kommun,kommentar,antal\n'
  '"Ålidhem, Umeå",2480,"sa ""hej""",4\n'
  '"Teg",2480,"två\nrader",6\n'
  '"Skellefteå; norr",2482,,1\n')
w("no_header_numbers.csv", "2480;120;3,5\n2481;30;1,25\n2482;77;2,0\n")
w("thousands_nbsp_thin.csv",
  "kommun;befolkning;kostnad\n2480;130\u00a0224;1\u202f204,50\n2482;74\u2009520;980,25\n2401;7 042;100\n")
w("trailing_empty_columns_rows.csv",
  "kommun;antal;;\r\n2480;5;;\r\n2482;7;;\r\n;;;\r\n;;;\r\n\r\n")
w("dates_and_booleans.csv",
  "datum;dag;manad_scb;manad;listad;akut\n"
  "2024-03-01;20240301;2024M03;2024-03;Ja;1\n"
  "2024-02-29;20240229;2024M02;2024-02;Nej;0\n"
  "2023-12-31;20231231;2023M12;2023-12;ja;1\n")
w("codes_stay_text.csv",
  "kommun,lan,vardcentral,kod,antal\n0180,01,007,0042,5\n2480,24,012,0100,3\n0114,01,003,0007,2\n")
w("repaired_kommun_codes.csv", "kommun;antal\n180;5\n114;2\n2480;9\n")
w("title_rows_above_table.csv",
  "Besök per kommun och år;;\r\nKälla: regionens journalsystem;;\r\n;;\r\nkommun;år;antal\r\n2480;2023;1 204\r\n2481;2023;310\r\n")
w("single_column_decimal_comma.csv", "andel\n12,5\n7,25\n-3,0\n")
# Two text columns without a header cannot be told from a header by looking: the user says so.
w("override_no_header.csv", "Umeå;Västerbotten\nLycksele;Västerbotten\n")
# A Latin-1 file whose bytes happen to be valid UTF-8 ("Ã¥" is C3 A5): the user fixes the guess.
w("override_encoding_latin1.csv", "kommun;namn\n2480;UmeÃ¥\n".encode("latin-1"))
w("missing_markers.csv", "kommun;antal;andel\n2480;..;12,5\n2481;NA;.\n2482;4;\n")

# --- PX ---------------------------------------------------------------------------------
px = ('CHARSET="ANSI";\r\nAXIS-VERSION="2010";\r\nCODEPAGE="windows-1252";\r\nLANGUAGE="sv";\r\n'
      'CREATION-DATE="20240221 08:00";\r\nDECIMALS=0;\r\nSHOWDECIMALS=0;\r\nMATRIX="BE0101N1";\r\n'
      'SUBJECT-CODE="BE";\r\nSUBJECT-AREA="Befolkning";\r\n'
      'CONTENTS="Folkmängden efter region, kön och år";\r\nUNITS="antal";\r\n'
      'STUB="region","kön";\r\nHEADING="år";\r\n'
      'CONTVARIABLE="tabellinnehåll";\r\n'
      'VALUES("region")="2480 Umeå","2482 Skellefteå","2463 Åsele";\r\n'
      'VALUES("kön")="män","kvinnor";\r\n'
      'VALUES("år")="2022","2023";\r\n'
      'CODES("region")="2480","2482","2463";\r\n'
      'CODES("kön")="1","2";\r\n'
      'SOURCE="Statistiska centralbyrån (SCB)";\r\n'
      'DATA=\r\n65012 65587\r\n64633 65202\r\n37560 37651\r\n36770 36869\r\n'
      '1404 ".."\r\n1346 "-"\r\n;\r\n')
w("befolkning_region_kon_ar.px", px.encode("cp1252"))
w("px_utf8_english.px",
  'CHARSET="ANSI";\nAXIS-VERSION="2013";\nCODEPAGE="utf-8";\nLANGUAGE="en";\nDECIMALS=1;\n'
  'CONTENTS="Share 65+";\nUNITS="per cent";\nSTUB="municipality";\nHEADING="year";\n'
  'VALUES("municipality")="Umeå","Lycksele";\nVALUES("year")="2023";\n'
  'CODES("municipality")="2480","2481";\n'
  'DATA=\n17.5 "..";\n')

# --- ODS (a minimal OpenDocument spreadsheet) --------------------------------------------
def ods(name, rows, sheet="Blad1"):
    cells_xml = []
    for r in rows:
        cs = []
        for v in r:
            if v is None:
                cs.append('<table:table-cell/>')
            elif isinstance(v, (int, float)):
                cs.append(f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>')
            elif isinstance(v, tuple) and v[0] == "date":
                cs.append(f'<table:table-cell office:value-type="date" office:date-value="{v[1]}"><text:p>{v[1]}</text:p></table:table-cell>')
            else:
                cs.append(f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>')
        cells_xml.append("<table:table-row>" + "".join(cs) + "</table:table-row>")
    content = ('<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="{sheet}">'
        + "".join(cells_xml) + '</table:table></office:spreadsheet></office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '</manifest:manifest>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype", (2024, 1, 1, 0, 0, 0)), "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr(zipfile.ZipInfo("content.xml", (2024, 1, 1, 0, 0, 0)), content, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr(zipfile.ZipInfo("META-INF/manifest.xml", (2024, 1, 1, 0, 0, 0)), manifest, compress_type=zipfile.ZIP_DEFLATED)
    w(name, buf.getvalue())

ods("ods_befolkning.ods", [
    ["Kommun", "Kommunnamn", "Datum", "Befolkning"],
    ["2480", "Umeå", ("date", "2024-01-01"), 130224],
    ["2482", "Skellefteå", ("date", "2024-01-01"), 74520],
], sheet="Befolkning")
ods("broken_ods_ages.ods", [
    ["kommun", "alder", "antal"],
    ["2480", 34, 5],
    ["2480", 150, 2],
    ["2482", -3, 1],
])

# --- Broken files -------------------------------------------------------------------------
w("broken_empty.csv", b"")
w("broken_only_blank_lines.csv", "\r\n\r\n  \r\n")
w("broken_ragged_rows.csv", "kommun;antal;andel\n2480;5;1,5\n2481;7\n2482;1;2,5;9\n2401;3;0,5\n")
w("broken_quote_swallows_rows.csv", 'vardcentral,kommun,antal\n"Ålidhem,2480,5\n"Teg",2480,6\n')
w("broken_unclosed_quote.csv", 'vardcentral,kommun,antal\nTeg,2480,6\n"Ålidhem,2480,5\nErsboda,2480,1\n')
w("broken_negative_counts.csv", "kommun;antal;befolkning\n2480;5;100\n2481;-2;90\n2482;3;-1 000\n")
w("broken_ages_out_of_range.csv", "kommun,age,antal\n2480,34,1\n2480,150,1\n2481,-1,1\n2482,120,1\n")
w("broken_bad_kommun_codes.csv",
  "kommun;antal\n2480;1\n9999;1\nUmeå;1\n12345;1\n99;1\n")
w("broken_bad_deso_codes.csv",
  "deso,antal\n2480C1010,1\n2480X1010,1\n9980C1010,1\n2480C10,1\n")
w("broken_not_numbers.csv", "kommun;antal\n2480;5\n2481;många\n2482;<5\n2401;12 st\n2403;4\n")
w("broken_wrong_columns.csv", "kommun;antal\n2480;5;3;x\n2481;7;1;y\n")
w("broken_bad_dates.csv", "datum;antal\n2024-03-01;1\n2024-02-30;1\n2024-03-03;1\nigår;1\n2024-03-05;1\n")
w("broken_mixed_decimal_separator.csv", "kommun;andel\n2480;12,5\n2481;7,25\n2482;1.5\n2401;3,0\n")
w("broken_binary.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10")
w("broken_not_a_workbook.xlsx", "kommun;antal\n2480;5\n")
w("broken_px_truncated.px",
  'CHARSET="ANSI";\nCODEPAGE="windows-1252";\nSTUB="region";\nHEADING="år";\n'
  'VALUES("region")="2480","2482";\nVALUES("år")="2022","2023";\nDATA=\n1 2\n3;\n')
w("broken_px_no_data.px",
  'CHARSET="ANSI";\nSTUB="region";\nHEADING="år";\nVALUES("region")="2480";\nVALUES("år")="2023";\n')
w("broken_px_bad_value.px",
  'CHARSET="ANSI";\nSTUB="region";\nHEADING="år";\nVALUES("region")="2480","2481";\n'
  'VALUES("år")="2023";\nDATA=\n12 abc;\n')
# A UTF-8 file whose first 64 KiB are clean, with Latin-1 bytes after the sample: the encoding
# guess says UTF-8, and the bad cells must be reported, not read as garbage.
random.seed(4)
lines = ["kommun;vardcentral;antal"]
names = ["Ålidhem", "Teg", "Ersboda", "Mariehem", "Sävar"]
for i in range(3000):
    lines.append(f"2480;{names[i % 5]};{i % 17}")
body = ("\n".join(lines) + "\n").encode("utf-8")
assert len(body) > 64 * 1024 // 2
while len(body) < 70 * 1024:
    body += "2480;Teg;1\n".encode()
body += "2480;".encode() + "Sävar".encode("latin-1") + b";2\n2480;Teg;3\n"
w("broken_latin1_after_sample_utf8.csv", body)
w("broken_header_latin1_in_utf8.csv", "kommun;ålder\n2480;5\n".encode("utf-8") + b"2481;" + "7".encode() + b"\n" + b"2482;\xe5r\n")
w("broken_bad_lan_codes.csv", "lan;befolkning\n24;274000\n99;1\n14;1750000\n")
w("broken_duplicated_header.csv", "kommun;antal\n2480;5\nkommun;antal\n2481;6\n")

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- Italian texts that Qt's own catalog (qtbase_it.qm, shipped with PySide6) lacks: the labels
     of the non-native file dialog gained a mnemonic ("&Look in:") that the catalog does not
     know. Compiled with: .venv/bin/pyside6-lrelease resources/translations/qtbase_extra_it.ts
     (writes qtbase_extra_it.qm beside it; both files are kept in the repository). -->
<TS version="2.1" language="it_IT" sourcelanguage="en">
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>&amp;Cerca in:</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>File di &amp;tipo:</translation>
    </message>
</context>
</TS>

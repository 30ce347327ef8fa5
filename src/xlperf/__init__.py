"""xlperf: performance management for local anti-slavery partnerships.

The flow, one module (or package) per step:

    read/        files -> Workbook grids (sniffing, calamine values, structure)
    tables.py    grids -> tables found by their header text
    schema.py    the one declaration of every template's sheets and columns
    values.py    raw cell values -> typed values (UK dates, RAG words, numbers)
    check.py     tables -> models + Issues
    rag.py       the computed-RAG rule set
    consolidate.py  many returns -> one partnership dataset
    write/       templates, the partnership workbook, RAG-updated plans
    cli.py       the `xlperf` command

The core (everything outside read/, write/ and cli.py) imports no spreadsheet
library; a test keeps that true.
"""

__version__ = "0.1.0"

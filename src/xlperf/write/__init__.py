"""Writers: templates, the partnership workbook, RAG-updated plans. All writes are atomic."""

"""Reading articles: files and folders of text, Markdown, JSON, JSONL and HTML into
Documents (reader.py)."""
